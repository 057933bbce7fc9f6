// Drives the system Chromium for the verification page tests.
//
//   node browser.mjs            (started by tests/verifier/conftest.py)
//
// Reads one JSON command per line on stdin and answers one JSON line on
// stdout. Each "open" gets a fresh browser context (its own viewport, locale,
// storage) and records every request the page makes.
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const executablePath = process.env.UNADOCS_CHROMIUM || "/usr/bin/chromium";
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
  ],
});

const SETTLED = ["valid", "invalid", "empty", "unsupported", "error"];
// Browsers started in a language, as a user's Chromium is: --lang=<code> (its own language) and, since headless
// Chromium takes the languages it asks pages for from it alone, --accept-lang=<code>; by code.
const byLanguage = new Map();

async function browserFor(cmd) {
  if (!cmd.lang) return browser;
  if (!byLanguage.has(cmd.lang)) {
    byLanguage.set(cmd.lang, await chromium.launch({
      executablePath, headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", `--lang=${cmd.lang}`,
             `--accept-lang=${cmd.lang}`],
    }));
  }
  return byLanguage.get(cmd.lang);
}

async function open(cmd) {
  const options = {
    viewport: { width: cmd.width || 1280, height: cmd.height || 800 },
    deviceScaleFactor: cmd.scale || 1,
    serviceWorkers: "block",
  };
  if (!cmd.lang) options.locale = cmd.locale || "en-US";  // with --lang, the browser's own languages
  const context = await (await browserFor(cmd)).newContext(options);
  const requests = [];
  const consoleErrors = [];
  const pageErrors = [];
  context.on("request", (request) => requests.push(request.url()));
  const page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  try {
    await page.goto(cmd.url, { waitUntil: "load" });
    await page.waitForFunction((settled) => settled.includes(document.body.dataset.state), SETTLED, { timeout: 10000 });
    for (const action of cmd.actions || []) {
      if (action.click) await page.click(action.click);
      if (action.fill) await page.fill(action.fill, action.value);
      if (action.press) await page.press(action.press, action.key);
      const wanted = action.expect ? [action.expect] : SETTLED;
      await page.waitForFunction((settled) => settled.includes(document.body.dataset.state), wanted, { timeout: 10000 });
    }
    const seen = await page.evaluate(() => {
      const result = document.getElementById("result");
      const fields = {};
      for (const dd of result.querySelectorAll("dd[data-field]")) {
        const items = dd.querySelectorAll("li");
        fields[dd.dataset.field] = items.length ? Array.from(items, (li) => li.textContent) : dd.textContent;
      }
      const status = document.querySelector("[role=status]");
      const verdict = result.querySelector(".verdict");
      return {
        state: document.body.dataset.state,
        reason: verdict ? verdict.getAttribute("data-reason") : null,
        title: result.querySelector(".verdict__title")?.textContent ?? null,
        icon: result.querySelector(".verdict__icon use")?.getAttribute("href") ?? null,
        text: result.innerText,
        status_live: status ? status.getAttribute("aria-live") : null,
        status_id: status ? status.id : null,
        fields,
        lang: document.documentElement.lang,
        doc_title: document.title,
        languages: Array.from(document.querySelectorAll("#languages button"), (b) => ({
          code: b.dataset.language, label: b.textContent, pressed: b.getAttribute("aria-pressed"),
        })),
        body_text: document.body.innerText,
        scroll_width: document.documentElement.scrollWidth,
        client_width: document.documentElement.clientWidth,
        script_elements_in_result: result.querySelectorAll("script, img, iframe").length,
        colours: Array.from(document.querySelectorAll(".verdict__title, .verdict__text, dt, dd, h1, li, .language, button"), (node) => {
          let back = node;
          while (back && getComputedStyle(back).backgroundColor === "rgba(0, 0, 0, 0)") back = back.parentElement;
          return {
            text: node.textContent.slice(0, 40),
            colour: getComputedStyle(node).color,
            background: back ? getComputedStyle(back).backgroundColor : "rgb(255, 255, 255)",
          };
        }),
        focused: document.activeElement ? document.activeElement.id : null,
      };
    });
    if (cmd.screenshot) await page.screenshot({ path: cmd.screenshot, fullPage: Boolean(cmd.full_page) });
    return { ok: true, ...seen, requests, console_errors: consoleErrors, page_errors: pageErrors };
  } catch (error) {
    return { ok: false, error: String(error), requests, console_errors: consoleErrors, page_errors: pageErrors };
  } finally {
    await context.close();
  }
}

// Runs the page's own seal.js on many inputs at once: the verdicts only.
async function verdicts(cmd) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(cmd.url, { waitUntil: "load" });
    const results = await page.evaluate(async (inputs) => {
      const out = [];
      for (const input of inputs) {
        const verdict = await window.UnadocsSeal.verifyToken(input, window.UNADOCS_SITE.trust);
        out.push({ reason: verdict.reason, valid: verdict.valid, fields: verdict.fields });
      }
      return out;
    }, cmd.inputs);
    return { ok: true, results };
  } catch (error) {
    return { ok: false, error: String(error) };
  } finally {
    await context.close();
  }
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const cmd = JSON.parse(line);
  let answer;
  if (cmd.cmd === "open") answer = await open(cmd);
  else if (cmd.cmd === "verdicts") answer = await verdicts(cmd);
  else answer = { ok: false, error: `unknown command ${cmd.cmd}` };
  process.stdout.write(JSON.stringify(answer) + "\n");
}
for (const other of byLanguage.values()) await other.close();
await browser.close();
