/* The seal check, in the browser: the same token rules and the same order of
   checks as unadocs/seal/payload.py and unadocs/seal/verify.py, so that this
   page and `unadocs verify` always give the same verdict on the same token.
   No DOM here; page.js shows the result. Change both sides together (the
   shared vectors in tests/vectors/ run through both). */
(function () {
  "use strict";

  var MAX_TOKEN_LENGTH = 4096;
  var MAX_PAYLOAD_BYTES = 4096;
  var MAX_SEALING_DAYS = 36525; // payload._MAX_DAYS
  var DAY_MS = 86400000;
  // The payload's keys in their one allowed order, by format version (payload._KEYS).
  var KEYS = {
    1: ["v", "i", "n", "t", "d", "c", "q", "a", "k", "h", "s"],
    2: ["v", "i", "n", "t", "d", "c", "q", "a", "u", "k", "e", "h", "s"]
  };
  var B64URL = /^[A-Za-z0-9_-]*$/;
  var TOKEN_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/;
  var KEY_ID = /^[A-Za-z0-9_-]{11}$/;
  var DIGEST = /^[A-Za-z0-9_-]{43}$/;
  var ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  // Python's str.isspace(): what str.strip() removes.
  var PY_SPACE = "\t\n\u000b\u000c\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680" +
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
  // Unicode categories Cc (controls) and Cs (a surrogate not in a pair).
  var CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
  var LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:^|[^\ud800-\udbff])[\udc00-\udfff]/;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /* payload.MalformedToken: the text is no token at all (verdict: malformed). */
  function Malformed(message) {
    this.message = message;
  }

  /* payload.CorruptPayload: token-shaped, but its payload cannot be read (verdict: bad-signature). */
  function Corrupt(message) {
    this.message = message;
  }

  function malformed(message) {
    throw new Malformed(message);
  }

  function corrupt(message) {
    throw new Corrupt(message);
  }

  function pyStrip(text) {
    var start = 0;
    var end = text.length;
    while (start < end && PY_SPACE.indexOf(text.charAt(start)) >= 0) start++;
    while (end > start && PY_SPACE.indexOf(text.charAt(end - 1)) >= 0) end--;
    return text.slice(start, end);
  }

  function codePoints(text) {
    return Array.from(text).length;
  }

  function b64urlEncode(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i += 3) {
      var n = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
      var chars = bytes.length - i >= 3 ? 4 : bytes.length - i + 1;
      for (var j = 0; j < chars; j++) out += ALPHABET.charAt((n >> (18 - 6 * j)) & 63);
    }
    return out;
  }

  /* Strict inverse of b64urlEncode, like payload.b64url_decode: a damaged token part is corrupt. */
  function b64urlDecode(text) {
    if (!B64URL.test(text) || text.length % 4 === 1) corrupt("the token's base64url is damaged");
    var bytes = new Uint8Array(Math.floor((text.length * 3) / 4));
    var acc = 0;
    var bits = 0;
    var k = 0;
    for (var i = 0; i < text.length; i++) {
      acc = ((acc << 6) | ALPHABET.indexOf(text.charAt(i))) & 0xffffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        bytes[k++] = (acc >> bits) & 0xff;
      }
    }
    if (b64urlEncode(bytes) !== text) corrupt("the token's base64url is damaged");
    return bytes;
  }

  /* payload._inflate: raw deflate (RFC 1951), complete, nothing after it, at most MAX_PAYLOAD_BYTES. */
  async function inflate(bytes) {
    var stream = new DecompressionStream("deflate-raw");
    var writer = stream.writable.getWriter();
    writer.write(bytes).catch(function () {});
    writer.close().catch(function () {});
    var reader = stream.readable.getReader();
    var chunks = [];
    var total = 0;
    for (;;) {
      var step;
      try {
        step = await reader.read();
      } catch (e) {
        corrupt("the payload is not complete deflate data");
      }
      if (step.done) break;
      total += step.value.length;
      if (total > MAX_PAYLOAD_BYTES) {
        reader.cancel().catch(function () {});
        corrupt("the payload inflates to more than " + MAX_PAYLOAD_BYTES + " bytes");
      }
      chunks.push(step.value);
    }
    var out = new Uint8Array(total);
    var at = 0;
    chunks.forEach(function (chunk) { out.set(chunk, at); at += chunk.length; });
    return out;
  }

  /* Python's json.loads(object_pairs_hook=...) refuses a repeated key in any object; JSON.parse keeps the last.
     Called on text that JSON.parse accepted, so the scan can trust its shape. */
  function hasRepeatedKey(text) {
    var stack = [];
    for (var i = 0; i < text.length; i++) {
      var ch = text.charAt(i);
      var top = stack[stack.length - 1];
      if (ch === '"') {
        var j = i + 1;
        while (text.charAt(j) !== '"') j += text.charAt(j) === "\\" ? 2 : 1;
        if (top && top.keys && top.expectKey) {
          var key = JSON.parse(text.slice(i, j + 1));
          if (top.keys.has(key)) return true;
          top.keys.add(key);
          top.expectKey = false;
        }
        i = j;
      } else if (ch === "{") {
        stack.push({ keys: new Set(), expectKey: true });
      } else if (ch === "[") {
        stack.push({ keys: null, expectKey: false });
      } else if (ch === "}" || ch === "]") {
        stack.pop();
      } else if (ch === "," && top && top.keys) {
        top.expectKey = true;
      }
    }
    return false;
  }

  function isText(value, maxLength) {
    if (typeof value !== "string") return false;
    if (pyStrip(value) === "") return false;
    if (codePoints(value) > maxLength) return false;
    return !CONTROL.test(value) && !LONE_SURROGATE.test(value);
  }

  /* payload._canonical_ects, restricted to what can survive the canonical
     re-encoding: a string in its shortest positive decimal form, with at most
     28 significant digits (Python's default Decimal precision). */
  function isCanonicalEcts(value) {
    if (typeof value !== "string" || !/^(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/.test(value)) return false;
    var digits = value.replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
    return digits.length > 0 && digits.length <= 28;
  }

  function parseDay(text) {
    if (typeof text !== "string" || !ISO_DATE.test(text)) return null;
    var year = Number(text.slice(0, 4));
    var month = Number(text.slice(5, 7));
    var day = Number(text.slice(8, 10));
    if (year < 1 || month < 1 || month > 12 || day < 1) return null;
    var leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    var lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return day <= lengths[month - 1] ? text : null;
  }

  function isCount(value) {
    return typeof value === "number" && Number.isInteger(value) && value >= 0;
  }

  /* An ISO day plus a number of days, as an ISO day; null past the year 9999 (payload._after). */
  function addDays(day, days) {
    var time = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) + days * DAY_MS;
    var when = new Date(time);
    var year = when.getUTCFullYear();
    if (year > 9999) return null;
    return String(year).padStart(4, "0") + "-" + String(when.getUTCMonth() + 1).padStart(2, "0") + "-" +
      String(when.getUTCDate()).padStart(2, "0");
  }

  /* Payload.from_json_bytes: the payload must be exactly its canonical bytes. */
  function parsePayload(bytes) {
    var text;
    try {
      text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch (e) {
      corrupt("the payload is not UTF-8 text");
    }
    var obj;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      corrupt("the payload is not JSON");
    }
    if (hasRepeatedKey(text)) corrupt("the payload is not JSON");
    if (obj === null || typeof obj !== "object" || Array.isArray(obj)) corrupt("the payload is not a JSON object");
    if (Object.prototype.hasOwnProperty.call(obj, "v") && obj.v !== 1 && obj.v !== 2) {
      malformed("unsupported payload version " + JSON.stringify(obj.v));
    }
    var keys = KEYS[obj.v] || KEYS[2];
    if (Object.keys(obj).join(",") !== keys.join(",")) corrupt("the payload does not have exactly the expected keys");
    if (parseDay(obj.d) === null) corrupt("the issue date is not a date YYYY-MM-DD");
    if (!Array.isArray(obj.a)) corrupt("the awarding bodies are not a list");
    var issuer = null;
    var sealed = null;
    if (obj.v === 2) {
      if (!isCount(obj.u) || obj.u >= obj.a.length || typeof obj.a[obj.u] !== "string") {
        corrupt("the issuer is not the index of an awarding body");
      }
      if (!isCount(obj.e) || obj.e > MAX_SEALING_DAYS) corrupt("the day of sealing is not a number of days");
      sealed = addDays(obj.d, obj.e);
      if (sealed === null) corrupt("the day of sealing is after the year 9999");
      issuer = obj.a[obj.u];
    }
    var fine =
      isText(obj.i, 200) &&
      isText(obj.n, 1000) &&
      isText(obj.t, 1000) &&
      isCanonicalEcts(obj.c) &&
      typeof obj.q === "number" && Number.isInteger(obj.q) && obj.q >= 1 && obj.q <= 8 &&
      obj.a.length > 0 &&
      obj.a.every(function (a) { return isText(a, 100); }) &&
      typeof obj.k === "string" && KEY_ID.test(obj.k) &&
      typeof obj.h === "string" && DIGEST.test(obj.h) &&
      typeof obj.s === "boolean";
    if (!fine) corrupt("the payload is invalid");
    var rebuilt = obj.v === 1
      ? { v: 1, i: obj.i, n: obj.n.normalize("NFC"), t: obj.t, d: obj.d, c: obj.c, q: obj.q, a: obj.a, k: obj.k,
          h: obj.h, s: obj.s }
      : { v: 2, i: obj.i, n: obj.n.normalize("NFC"), t: obj.t, d: obj.d, c: obj.c, q: obj.q, a: obj.a,
          u: obj.a.indexOf(issuer), k: obj.k, e: obj.e, h: obj.h, s: obj.s };
    if (JSON.stringify(rebuilt) !== text) corrupt("the payload is not in canonical form");
    return {
      version: obj.v, credentialId: obj.i, name: obj.n, title: obj.t, issued: obj.d, ects: obj.c, eqf: obj.q,
      awarding: obj.a.slice(), issuer: issuer, keyId: obj.k, sealed: sealed, recordSha256: obj.h, specimen: obj.s
    };
  }

  /* payload.open_token: a token, or a link whose #fragment is the token. */
  async function openToken(input) {
    if (typeof input !== "string") malformed("a token is text");
    var text = pyStrip(input);
    if (codePoints(text) > MAX_TOKEN_LENGTH) malformed("longer than " + MAX_TOKEN_LENGTH + " characters: not a certificate token");
    var hash = text.indexOf("#");
    if (hash >= 0) text = text.slice(hash + 1);
    if (!text) malformed("empty: no token");
    if (!TOKEN_SHAPE.test(text)) malformed("a token is two base64url parts joined by '.', the second 86 characters long");
    var parts = text.split(".");
    var compressed = b64urlDecode(parts[0]);
    var signature = b64urlDecode(parts[1]);
    var signed = await inflate(compressed);
    return { payload: parsePayload(signed), signed: signed, signature: signature };
  }

  function findKey(trust, keyId) {
    var keys = (trust && trust.keys) || [];
    for (var i = 0; i < keys.length; i++) if (keys[i].key_id === keyId) return keys[i];
    return null;
  }

  function findRevocation(trust, credentialId) {
    var revoked = (trust && trust.revoked) || [];
    for (var i = 0; i < revoked.length; i++) {
      var entry = typeof revoked[i] === "string" ? { credential_id: revoked[i] } : revoked[i];
      if (entry.credential_id === credentialId) return entry;
    }
    return null;
  }

  /* Whether this browser has what the check needs: WebCrypto Ed25519 (Chromium 137+, Firefox 129+,
     Safari 17+) and DecompressionStream("deflate-raw"). */
  async function supported() {
    if (typeof crypto === "undefined" || !crypto || !crypto.subtle || typeof DecompressionStream === "undefined") {
      return false;
    }
    try {
      new DecompressionStream("deflate-raw");
      var point = new Uint8Array(32);
      point[0] = 1; // the neutral point: a valid encoding
      await crypto.subtle.importKey("raw", point, { name: "Ed25519" }, false, ["verify"]);
      return true;
    } catch (e) {
      return false;
    }
  }

  async function genuine(publicKeyText, signature, signed) {
    var publicKey;
    try {
      publicKey = b64urlDecode(publicKeyText);
    } catch (e) {
      return false;
    }
    var key;
    try {
      key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
    } catch (e) {
      return false; // a trust list entry that is no Ed25519 key verifies nothing (Python: ValueError)
    }
    return crypto.subtle.verify({ name: "Ed25519" }, key, signature, signed);
  }

  /* Today as YYYY-MM-DD in the browser's own time zone (verify.verify's default: the system's date). */
  function localToday() {
    var now = new Date();
    return String(now.getFullYear()).padStart(4, "0") + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
      String(now.getDate()).padStart(2, "0");
  }

  /* verify.verify and verify._judge: the verdict {valid, reason, detail, fields[, revocation, supersededBy]}.
     ``today`` (YYYY-MM-DD) defaults to the browser's date. Rejects only when the browser cannot check at all. */
  async function verifyToken(input, trust, today) {
    var opened;
    try {
      opened = await openToken(input);
    } catch (e) {
      if (e instanceof Corrupt) return { valid: false, reason: "bad-signature", detail: e.message, fields: {} };
      if (e instanceof Malformed) return { valid: false, reason: "malformed", detail: e.message, fields: {} };
      throw e;
    }
    var payload = opened.payload;
    var key = findKey(trust, payload.keyId);
    if (key === null) return { valid: false, reason: "unknown-key", detail: "key id " + payload.keyId, fields: {} };
    if (!(await genuine(key.public_key, opened.signature, opened.signed))) {
      return { valid: false, reason: "bad-signature", detail: "", fields: {} };
    }
    var fields = {
      name: payload.name, title: payload.title, issued: payload.issued, ects: payload.ects, eqf: payload.eqf,
      awarding: payload.awarding, issuer: key.issuer, credential_id: payload.credentialId,
      key_id: payload.keyId, specimen: payload.specimen
    };
    if (payload.sealed !== null) fields.sealed = payload.sealed;
    var sealedOn = payload.sealed !== null ? payload.sealed : payload.issued;
    function verdict(reason, detail, revocation) {
      var result = { valid: reason === "valid", reason: reason, detail: detail || "", fields: fields };
      if (revocation) {
        result.revocation = { reason: revocation.reason || null, date: revocation.date || null };
        if (revocation.superseded_by) result.supersededBy = revocation.superseded_by;
      }
      return result;
    }
    if (payload.issuer !== null && payload.issuer !== key.issuer) {
      return verdict("wrong-issuer", "the certificate is issued by " + payload.issuer + "; key " + key.key_id +
        " belongs to " + key.issuer);
    }
    if (payload.issuer === null && payload.awarding.indexOf(key.issuer) < 0) {
      return verdict("wrong-issuer", "key " + key.key_id + " belongs to " + key.issuer +
        ", which is not one of the awarding bodies (" + payload.awarding.join(", ") + ")");
    }
    // ISO dates (four-digit years) compare correctly as strings.
    var dates = [["issued", payload.issued], ["sealed", sealedOn]];
    for (var i = 0; i < dates.length; i++) {
      if (dates[i][1] < key.valid_from || dates[i][1] > key.valid_until) {
        return verdict("key-not-valid-on-date", dates[i][0] + " " + dates[i][1] + "; key " + key.key_id + " of " +
          key.issuer + " is valid " + key.valid_from + " to " + key.valid_until);
      }
    }
    if (key.revoked_since && sealedOn >= key.revoked_since) {
      return verdict("key-revoked", "key " + key.key_id + " of " + key.issuer + " is revoked since " +
        key.revoked_since + (key.revocation_reason ? ": " + key.revocation_reason : "") + "; sealed " + sealedOn);
    }
    var now = today || localToday();
    var latest = payload.issued > sealedOn ? payload.issued : sealedOn;
    if (latest > addDays(now, 1)) return verdict("dated-in-future", "dated " + latest + ", today is " + now);
    var revocation = findRevocation(trust, payload.credentialId);
    if (revocation !== null) {
      var why = [revocation.reason, revocation.date && "on " + revocation.date].filter(Boolean).join(", ");
      if (revocation.superseded_by) {
        return verdict("superseded", "replaced by credential " + revocation.superseded_by + (why ? "; " + why : ""),
          revocation);
      }
      return verdict("revoked", why, revocation);
    }
    if (payload.specimen) return verdict("specimen");
    return verdict("valid");
  }

  var api = { openToken: openToken, verifyToken: verifyToken, supported: supported, findRevocation: findRevocation };
  if (typeof window !== "undefined") window.UnadocsSeal = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})();
