"""Hand-made edge cases of the token format, for the differential test of the Python and browser decoders.

Each case is signed with the shared test vectors' key (TEST ONLY), so that it
is the decoding rules, not the signature, that decide: every rule of
``unadocs.seal.payload`` (canonical JSON, field limits, deflate, base64url,
the token's shape and length) has a case just inside and just outside it.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import replace
from datetime import date
from functools import lru_cache

from tests.verifier.conftest import VECTORS
from unadocs.seal.keys import Signer, load_signer
from unadocs.seal.payload import Payload, b64url_encode, seal

Case = tuple[str, str]


def _deflate(data: bytes, *, level: int = 9, wbits: int = -15) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, wbits, 9, zlib.Z_DEFAULT_STRATEGY)
    return packer.compress(data) + packer.flush()


def _token(data: bytes, signer: Signer, *, signed: bytes | None = None, packed: bytes | None = None) -> str:
    body = _deflate(data) if packed is None else packed
    return f"{b64url_encode(body)}.{b64url_encode(signer.sign(data if signed is None else signed))}"


@lru_cache(maxsize=1)
def edge_tokens() -> list[Case]:
    """``(label, token or link)`` pairs."""
    uh = load_signer(VECTORS / "TEST-ONLY-UH.pem")
    other = Signer.from_seed(hashlib.sha256(b"unadocs verifier edge cases, TEST ONLY").digest(), "XX")
    trust = json.loads((VECTORS / "trust.json").read_text(encoding="utf-8"))
    revoked_id = next(r["credential_id"] for r in trust["revoked"] if "superseded_by" not in r)
    base = Payload(
        credential_id="edge-0001", name="Zoë Łukasiewicz-Ñúñez", title="Micro-credential in Sustainability",
        issued=date(2026, 6, 30), ects="10", eqf=7, awarding=("UH", "UNIBO", "UJ"), key_id=uh.key_id,
        record_sha256=b64url_encode(hashlib.sha256(b"edge record").digest()), version=1,
    )
    canonical = base.to_json_bytes().decode("utf-8")
    cases: list[Case] = []

    def text_case(label: str, text: str, signer: Signer = uh) -> None:
        cases.append((label, _token(text.encode("utf-8", "surrogatepass"), signer)))

    def field_case(label: str, key: str, json_value: str) -> None:
        """The canonical payload with one field's JSON value replaced."""
        obj = json.loads(canonical)
        parts = []
        for name, value in obj.items():
            raw = json_value if name == key else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            parts.append(f'"{name}":{raw}')
        text_case(label, "{" + ",".join(parts) + "}")

    text_case("canonical", canonical)
    cases.append(("sealed by unadocs", seal(base, uh)))

    # JSON structure
    text_case("repeated key", canonical[:-1] + ',"s":false}')
    text_case("repeated key, version 2", canonical.replace('{"v":1,', '{"v":2,"v":2,'))
    nested = canonical.replace('"a":["UH","UNIBO","UJ"]', '"a":[{"x":1,"x":2}]')
    text_case("repeated key inside the awarding list", nested)
    text_case("repeated nested key, version 2", nested.replace('"v":1', '"v":2'))
    text_case("repeated escaped key", canonical[:-1] + ',"\\u0073":false}')
    for label, version in [("2", "2"), ("text", '"1"'), ("1.0", "1.0"), ("1e0", "1e0"), ("true", "true"),
                           ("null", "null"), ("0", "0"), ("huge", "1" + "0" * 30), ("-1", "-1")]:
        text_case(f"version {label}", canonical.replace('"v":1', f'"v":{version}', 1))
    text_case("no version", canonical.replace('"v":1,', ""))
    text_case("extra key", canonical[:-1] + ',"x":1}')
    text_case("extra key, version 2", canonical.replace('"v":1', '"v":2')[:-1] + ',"x":1}')
    text_case("extra integer-like key", canonical[:-1] + ',"0":1}')
    text_case("__proto__ key", canonical[:-1] + ',"__proto__":{}}')
    text_case("keys out of order", canonical.replace('"v":1,', "")[:-1] + ',"v":1}')
    text_case("spaces", json.dumps(json.loads(canonical), ensure_ascii=False))
    text_case("leading space", " " + canonical)
    text_case("trailing newline", canonical + "\n")
    text_case("byte order mark", "\ufeff" + canonical)
    text_case("array", "[1]")
    text_case("null", "null")
    text_case("string", '"x"')
    text_case("empty object", "{}")
    text_case("empty", "")
    text_case("NaN", canonical.replace('"q":7', '"q":NaN'))
    text_case("escaped slash", canonical.replace("Micro-credential in", "Micro\\/credential in"))
    cases.append(("invalid UTF-8", _token(canonical.encode("utf-8").replace("ë".encode(), b"\xe9"), uh)))
    cesu = canonical.encode("utf-8").replace("ë".encode(), b"\xed\xa0\x80")
    cases.append(("CESU surrogate bytes", _token(cesu, uh)))

    # the name and the other text fields
    for label, name in [
        ("escaped letter", '"Zo\\u00eb"'), ("not NFC", json.dumps("Zoe\u0308", ensure_ascii=False)),
        ("lone surrogate", '"Zo\\ud800"'), ("escaped pair", '"Zo\\ud83d\\ude00"'), ("escaped control", '"Zo\\u0007"'),
        ("DEL", '"Zo\u007f"'), ("NEL", '"Zo\u0085"'), ("spaces only", '"\u3000 \u2003"'), ("BOM only", '"\ufeff"'),
        ("zero width space", '"\u200b"'), ("emoji", '"Zoë 😀"'), ("line separator", '"Zoë\u2028Ł"'),
        ("quote and backslash", '"Zoë \\"Z\\" \\\\ Ł"'), ("markup", '"<img src=x onerror=alert(1)>{{ 7*7 }} &amp;"'),
        ("1000 letters", json.dumps("é" * 1000, ensure_ascii=False)),
        ("1001 letters", json.dumps("é" * 1001, ensure_ascii=False)),
        ("501 astral letters", json.dumps("😀" * 501, ensure_ascii=False)),
        ("empty", '""'), ("number", "5"), ("null", "null"),
    ]:
        field_case(f"name: {label}", "n", name)
    field_case("title: 1000 letters", "t", json.dumps("T" * 1000))
    field_case("title: 1001 letters", "t", json.dumps("T" * 1001))
    field_case("credential id: 200 letters", "i", json.dumps("i" * 200))
    field_case("credential id: 201 letters", "i", json.dumps("i" * 201))
    field_case("credential id: revoked", "i", json.dumps(revoked_id))
    field_case("awarding: 100 letters", "a", json.dumps(["A" * 100]))
    field_case("awarding: 101 letters", "a", json.dumps(["A" * 101]))
    field_case("awarding: repeated", "a", '["UH","UH"]')
    for label, value in [("empty", "[]"), ("empty id", '[""]'), ("text", '"UH"'), ("number", "[1]"),
                         ("tab", '["\\t"]')]:
        field_case(f"awarding: {label}", "a", value)

    # ECTS, EQF, key id, digest, specimen, date
    for ects in ["0.5", "7.5", "1234567890123456789012345678", "10000000000000000000000000000000",
                 "0.0000000000000000000000000001", "10.0", "010", "0", "0.0", "1e1", " 10", "7.50", "-1", "1_0",
                 "12345678901234567890123456789", "NaN", "Infinity", "٣", ".5", "5.", "+5", ""]:
        field_case(f"ects: {ects!r}", "c", json.dumps(ects, ensure_ascii=False))
    field_case("ects: number", "c", "10")
    for eqf in ["1", "8", "0", "9", "7.0", '"7"', "true", "-1", "7e0"]:
        field_case(f"eqf: {eqf}", "q", eqf)
    for label, key_id in [("10 letters", uh.key_id[:10]), ("12 letters", uh.key_id + "A"),
                          ("plus sign", "+" + uh.key_id[1:]), ("another key", other.key_id)]:
        field_case(f"key id: {label}", "k", json.dumps(key_id))
    field_case("key id: final newline", "k", json.dumps(uh.key_id + "\n"))
    field_case("digest: final newline", "h", json.dumps(base.record_sha256 + "\n"))
    field_case("date: final newline", "d", json.dumps("2026-06-30\n"))
    field_case("digest: 42 letters", "h", json.dumps(base.record_sha256[:42]))
    field_case("digest: padded", "h", json.dumps(base.record_sha256[:42] + "="))
    for specimen in ["true", '"false"', "0", "null"]:
        field_case(f"specimen: {specimen}", "s", specimen)
    for day in ["2026-01-01", "2026-12-31", "2025-12-31", "2027-01-01", "2024-02-29", "2026-02-29", "0000-01-01",
                "2026-13-01", "2026-06-31", "2026-6-30", "2026-06-30T00:00", "２０２６-06-30", "20260630"]:
        field_case(f"date: {day}", "d", json.dumps(day, ensure_ascii=False))

    # exactly 4096 bytes once inflated, and one more
    big = json.loads(canonical)
    big["n"] = "€" * 1000
    overhead = len(json.dumps({**big, "t": ""}, ensure_ascii=False, separators=(",", ":")).encode())
    for size in (4096, 4097):
        text_case(f"payload of {size} bytes", json.dumps({**big, "t": "T" * (size - overhead)},
                                                          ensure_ascii=False, separators=(",", ":")))

    # keys and signatures
    data = canonical.encode("utf-8")
    cases.append(("another issuer's key", seal(replace(base, key_id=other.key_id), other)))
    cases.append(("trusted key id, another key's signature", _token(data, other)))
    cases.append(("signature over other bytes", _token(data, uh, signed=data + b" ")))

    # deflate
    cases.append(("stored, not compressed", _token(data, uh, packed=_deflate(data, level=0))))
    cases.append(("fastest deflate", _token(data, uh, packed=_deflate(data, level=1))))
    cases.append(("zlib header", _token(data, uh, packed=_deflate(data, wbits=15))))
    cases.append(("gzip header", _token(data, uh, packed=_deflate(data, wbits=31))))
    cases.append(("bytes after the deflate data", _token(data, uh, packed=_deflate(data) + b"\x00")))
    cases.append(("truncated deflate data", _token(data, uh, packed=_deflate(data)[:-3])))
    cases.append(("not deflate data", _token(data, uh, packed=data)))

    # the token's text
    token = seal(base, uh)
    head, tail = token.split(".")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    cases += [
        ("spaces around", f"  {token} \n"), ("ideographic space around", f"\u3000{token}\u2029"),
        ("byte order mark before", f"\ufeff{token}"), ("zero width space after", f"{token}\u200b"),
        ("link", f"https://verify.una-europa.eu/c/#{token}"), ("query and fragment", f"https://x.test/v?q=1#{token}"),
        ("bare fragment", f"#{token}"), ("two fragments", f"https://x.test/#a#{token}"),
        ("fragment after", f"{token}#"),
        ("head of 4n+1 letters", f"{head}A.{tail}"),
        ("head with stray bits", f"{head[:-1]}{alphabet[alphabet.index(head[-1]) ^ 1]}.{tail}"),
        ("tail with stray bits", f"{head}.{tail[:-1]}{alphabet[alphabet.index(tail[-1]) | 1]}"),
        ("tail of 85", f"{head}.{tail[:-1]}"), ("tail of 87", f"{head}.{tail}A"), ("empty head", f".{tail}"),
        ("percent-encoded", f"{head}%2E{tail}"), ("plus and slash", f"{head.replace('-', '+')}.{tail}"),
        ("4096 characters", "A" * 4009 + "." + tail), ("4097 characters", "A" * 4010 + "." + tail),
        ("4096 characters with spaces", " " + "A" * 4009 + "." + tail + " "),
        ("final newline inside the fragment", f"https://x.test/#{token}\n"),
        ("newline before the dot", f"{head}\n.{tail}"),
        ("only spaces", " \t\n"), ("only a fragment mark", "#"), ("a dot", "."), ("dots", "a.b.c"),
    ]
    cases += _format_2_cases(base, uh, trust)
    return cases


def _vector_key(label: str, issuer: str) -> Signer:
    """A key of the shared vectors' trust list (tests/vectors/make_vectors.py derives them alike)."""
    return Signer.from_seed(hashlib.sha256(f"unadocs seal test vectors, TEST ONLY: {label}".encode()).digest(), issuer)


def _format_2_cases(v1: Payload, uh: Signer, trust: dict[str, object]) -> list[Case]:
    """Format 2: the issuer as an index into the awarding bodies, the day of sealing as days after the issue date,
    and a case for each verdict that only the issuer, the day of sealing or a key's revocation can give."""
    base = replace(v1, credential_id="edge-0002", issuer="UH", sealed=date(2026, 7, 1), version=2)
    canonical = base.to_json_bytes().decode("utf-8")
    cases: list[Case] = [("format 2", seal(base, uh))]

    def field_case(label: str, key: str, json_value: str) -> None:
        obj = json.loads(canonical)
        parts = [f'"{name}":{json_value if name == key else json.dumps(value, ensure_ascii=False, separators=(",", ":"))}'
                 for name, value in obj.items()]
        cases.append((f"format 2, {label}", _token(("{" + ",".join(parts) + "}").encode("utf-8"), uh)))

    for index in ["0", "1", "2", "3", "-1", "true", '"0"', "0.0", "1e0", "null"]:
        field_case(f"issuer index {index}", "u", index)
    for days in ["0", "1", "36525", "36526", "-1", "0.5", '"0"', "true", "null", "1e2", "2932897"]:
        field_case(f"sealed {days} days late", "e", days)
    field_case("issue date 9999-12-31, sealed a day later", "d", '"9999-12-31"')
    text = canonical.replace(',"u":0', "")
    cases.append(("format 2 without an issuer", _token(text.encode("utf-8"), uh)))
    text = canonical.replace('"v":2,', '"v":1,')
    cases.append(("format 1 with format 2 fields", _token(text.encode("utf-8"), uh)))

    evil, stolen, lasting = _vector_key("EVIL", "EVIL"), _vector_key("UH, later stolen", "UH"), _vector_key(
        "UH, long-lived", "UH")
    superseded = next(r["credential_id"] for r in trust["revoked"] if "superseded_by" in r)  # type: ignore[index,union-attr]
    cases += [
        ("format 1 sealed by another institution's key", seal(replace(v1, key_id=evil.key_id), evil)),
        ("format 2 sealed by another institution's key", seal(replace(base, key_id=evil.key_id), evil)),
        ("sealed on the day the key was revoked", seal(replace(base, key_id=stolen.key_id, sealed=date(2026, 9, 1)),
                                                        stolen)),
        ("sealed the day before", seal(replace(base, key_id=stolen.key_id, sealed=date(2026, 8, 31)), stolen)),
        ("dated in the year 2999", seal(replace(base, key_id=lasting.key_id, issued=date(2999, 1, 1),
                                                sealed=date(2999, 1, 1)), lasting)),
        ("superseded", seal(replace(base, credential_id=superseded), uh)),
        ("sealed after the key expired", seal(replace(base, issued=date(2026, 12, 31), sealed=date(2027, 1, 1)), uh)),
    ]
    return cases
