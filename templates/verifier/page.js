/* The page: picks the language, reads the token from the #fragment, asks
   seal.js for the verdict and shows it. Every value from the link goes into
   the page with textContent, never as HTML. */
(function () {
  "use strict";

  var site = window.UNADOCS_SITE || { trust: { keys: [], revoked: [] }, names: {}, messages: {}, languages: [] };
  var seal = window.UnadocsSeal;
  var state = { language: pickLanguage(), verdict: null, view: "pending" };

  function pickLanguage() {
    var offered = site.languages || [];
    var wanted = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""]);
    for (var i = 0; i < wanted.length; i++) {
      var primary = String(wanted[i] || "").toLowerCase().split("-")[0];
      if (offered.indexOf(primary) >= 0) return primary;
    }
    return "en";
  }

  function t(key, values) {
    var table = site.messages[state.language] || {};
    var text = table[key] !== undefined ? table[key] : (site.messages.en || {})[key];
    if (text === undefined) text = key;
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return values && values[name] !== undefined ? String(values[name]) : whole;
    });
  }

  function replaceContent(parent, content) {
    while (parent.firstChild) parent.removeChild(parent.firstChild);
    parent.appendChild(content);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "verdict__icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("viewBox", "0 0 24 24");
    var use = document.createElementNS(ns, "use");
    use.setAttribute("href", "#icon-" + name);
    svg.appendChild(use);
    return svg;
  }

  function formatDate(iso) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!parts) return String(iso);
    try {
      var day = new Date(Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])));
      var words = new Intl.DateTimeFormat(state.language, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(day);
      return words + " (" + iso + ")";
    } catch (e) {
      return iso;
    }
  }

  function officialName(id) {
    var entry = Object.prototype.hasOwnProperty.call(site.names, id) ? site.names[id] : null;
    return entry && entry.name ? entry.name : id;
  }

  function verdictBox(kind, iconName, title) {
    var box = el("div", "verdict verdict--" + kind);
    box.setAttribute("data-verdict", kind);
    box.appendChild(icon(iconName));
    var heading = el("h2", "verdict__title", title);
    box.appendChild(heading);
    return box;
  }

  function row(list, label, value, field) {
    var dt = el("dt", null, label);
    var dd = el("dd");
    if (field) dd.setAttribute("data-field", field);
    if (Array.isArray(value)) {
      var ul = el("ul", "plain");
      value.forEach(function (item) { ul.appendChild(el("li", null, item)); });
      dd.appendChild(ul);
    } else {
      dd.textContent = value;
    }
    list.appendChild(dt);
    list.appendChild(dd);
  }

  function details(fields) {
    var section = el("div", "details");
    section.appendChild(el("h3", null, t("field.heading")));
    var list = el("dl");
    row(list, t("field.name"), fields.name, "name");
    row(list, t("field.title"), fields.title, "title");
    row(list, t("field.issued"), formatDate(fields.issued), "issued");
    row(list, t("field.ects"), t("field.ects.value", { ects: fields.ects }), "ects");
    row(list, t("field.eqf"), String(fields.eqf), "eqf");
    row(list, t("field.awarding"), fields.awarding.map(officialName), "awarding");
    row(list, t("field.issuer"), officialName(fields.issuer), "issuer");
    if (fields.sealed) row(list, t("field.sealed"), formatDate(fields.sealed), "sealed");
    row(list, t("field.credential"), fields.credential_id, "credential_id");
    row(list, t("field.key"), fields.key_id, "key_id");
    section.appendChild(list);
    return section;
  }

  function render() {
    document.documentElement.lang = state.language;
    document.title = t("page.title");
    Array.prototype.forEach.call(document.querySelectorAll("[data-text]"), function (node) {
      node.textContent = t(node.getAttribute("data-text"));
    });
    renderLanguages();

    var result = document.getElementById("result");
    var content = document.createDocumentFragment();
    var v = state.verdict;
    if (state.view === "empty") {
      var box = verdictBox("empty", "info", t("status.empty.title"));
      box.appendChild(el("p", "verdict__text", t("status.empty.text")));
      content.appendChild(box);
    } else if (state.view === "unsupported" || state.view === "error") {
      var problem = verdictBox(state.view, "info", t("status." + state.view + ".title"));
      problem.appendChild(el("p", "verdict__text", t("status." + state.view + ".text")));
      content.appendChild(problem);
    } else if (state.view === "verdict" && v.valid) {
      var valid = verdictBox("valid", "valid", t("status.valid.title"));
      valid.appendChild(el("p", "verdict__text", t("status.valid.text", { issuer: officialName(v.fields.issuer) })));
      content.appendChild(valid);
      content.appendChild(details(v.fields));
    } else if (state.view === "verdict") {
      var invalid = verdictBox("invalid", "invalid", t("status.invalid.title"));
      invalid.setAttribute("data-reason", v.reason);
      var because = el("p", "verdict__text", t("reason." + v.reason, {
        issued: v.fields.issued ? formatDate(v.fields.issued) : "",
        issuer: v.fields.issuer ? officialName(v.fields.issuer) : ""
      }));
      because.setAttribute("data-reason-text", v.reason);
      invalid.appendChild(because);
      if (v.revocation && v.revocation.reason) invalid.appendChild(el("p", "verdict__text", t("revoked.reason", { reason: v.revocation.reason })));
      if (v.revocation && v.revocation.date) invalid.appendChild(el("p", "verdict__text", t("revoked.date", { date: formatDate(v.revocation.date) })));
      if (v.supersededBy) invalid.appendChild(el("p", "verdict__text", t("superseded.by", { id: v.supersededBy })));
      invalid.appendChild(el("p", "verdict__text", t("status.invalid.advice")));
      content.appendChild(invalid);
    } else {
      var pending = verdictBox("pending", "info", t("status.checking"));
      content.appendChild(pending);
    }
    replaceContent(result, content);
    document.body.setAttribute("data-state", state.view === "verdict" ? (v.valid ? "valid" : "invalid") : state.view);
  }

  function renderLanguages() {
    var list = document.getElementById("languages");
    var items = document.createDocumentFragment();
    (site.languages || []).forEach(function (code) {
      var item = el("li");
      var button = el("button", "language", (site.messages[code] || {})["language.name"] || code);
      button.type = "button";
      button.lang = code;
      button.setAttribute("data-language", code);
      button.setAttribute("aria-pressed", code === state.language ? "true" : "false");
      button.addEventListener("click", function () {
        state.language = code;
        render();
      });
      item.appendChild(button);
      items.appendChild(item);
    });
    replaceContent(list, items);
  }

  function fragment() {
    var hash = window.location.hash || "";
    return hash.charAt(0) === "#" ? hash.slice(1) : hash;
  }

  var checkNumber = 0;

  function check() {
    var token = fragment();
    var mine = ++checkNumber;
    if (!token) {
      state.view = "empty";
      render();
      return;
    }
    state.view = "pending";
    render();
    seal.supported().then(function (ok) {
      if (!ok) return { view: "unsupported" };
      return seal.verifyToken(token, site.trust).then(function (verdict) { return { view: "verdict", verdict: verdict }; });
    }).then(function (outcome) {
      if (mine !== checkNumber) return;
      state.view = outcome.view;
      state.verdict = outcome.verdict || null;
      render();
    }).catch(function () {
      if (mine !== checkNumber) return;
      state.view = "error";
      render();
    });
  }

  function start() {
    document.getElementById("paste-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var input = document.getElementById("paste-input");
      var text = input.value.trim();
      var hash = text.indexOf("#");
      var token = hash >= 0 ? text.slice(hash + 1) : text;
      input.value = "";
      if (fragment() === token) check();
      else window.location.hash = token;
      document.getElementById("result").focus();
    });
    window.addEventListener("hashchange", check);
    check();
  }

  try {
    if (seal) {
      start();
    } else {
      // seal.js did not run: a browser too old for its syntax (async functions), or the file is missing.
      state.view = "unsupported";
      render();
    }
  } catch (e) {
    state.view = "error";
    try { render(); } catch (ignored) { /* the static page still explains itself */ }
  }
})();
