"""The payload and its token: round trip, canonical form, size, and malformed input of every kind."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.seal.conftest import BASE_URL
from unadocs.errors import SealError
from unadocs.seal.keys import Signer
from unadocs.seal.payload import (
    CorruptPayload,
    MalformedToken,
    Payload,
    b64url_decode,
    b64url_encode,
    open_token,
    seal,
    verification_link,
)
from unadocs.seal.qr import MAX_VERSION, QUIET_ZONE, qr_image

MakePayload = Callable[..., Payload]

#: 120-character names (the size bound the issue sets): Latin with diacritics, Greek, Cyrillic.
LONG_LATIN_NAME = ("Zoë Łukasiewicz-Ñúñez Ó Súilleabháin Őrsi Žaneta Müller-Lüdenscheidt García-Peñalosa "
                   "Ærøskøbing Dvořáková Škarić Ğülşen Ąčęėįšųūž")[:120]
LONG_GREEK_NAME = ("Αλέξανδρος Παπαδόπουλος-Κωνσταντινίδης Μαρία Θεοδώρα Ευαγγελία Καραμανλή-Χατζηδάκη Ελευθερία "
                   "Σταυρούλα Αικατερίνη Βασιλική Ιωάννα")[:120]
LONG_CYRILLIC_NAME = ("Олександра Костянтинівна Шевченко-Коваленко Марія Валентинівна Ярославна Дмитренко-Підгорецька "
                      "Анастасія Євгенівна Мирослава Богданівна")[:120]
LONG_TITLE = "Micro-credential in Sustainability, Climate Action and the Just Transition in European Cities and Regions"


def test_round_trip_gives_back_the_payload_and_the_signed_bytes(make_payload: MakePayload, signer: Signer) -> None:
    payload = make_payload()
    token = seal(payload, signer)
    opened, signed, signature = open_token(token)
    assert opened == payload
    assert signed == payload.to_json_bytes()
    assert signature == signer.sign(signed)
    assert open_token(verification_link(BASE_URL, token))[0] == payload


def test_signed_bytes_are_compact_json_in_the_documented_key_order(make_payload: MakePayload) -> None:
    data = make_payload().to_json_bytes()
    assert data.startswith(b'{"v":2,"i":"7c9e6679-7425-50de-944b-e07fc1f90ae7","n":"Zo\xc3\xab \xc5\x81ukasiewicz",')
    assert b'"d":"2026-06-30","c":"10","q":7,"a":["UH","UNIBO","UJ"],"u":0,"k":"' in data
    assert b'"e":1,"h":"' in data  # sealed the day after the issue date
    assert data.endswith(b'"s":false}')
    assert b'": ' not in data and b'", ' not in data and b"\\u" not in data  # compact, UTF-8 not escaped


def test_sealing_is_deterministic(make_payload: MakePayload, signer: Signer) -> None:
    assert seal(make_payload(), signer) == seal(make_payload(), signer)


def test_name_is_nfc_normalised_and_ects_shortened(make_payload: MakePayload) -> None:
    payload = make_payload(name=unicodedata.normalize("NFD", "Zoë Łukasiewicz"), ects=Decimal("10.0"))
    assert payload.name == "Zoë Łukasiewicz" and unicodedata.is_normalized("NFC", payload.name)
    assert payload.ects == "10"
    assert make_payload(ects="7.50").ects == "7.5"
    assert make_payload(ects=Decimal("2.5E1")).ects == "25"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " "}, "name must not be empty"),
        ({"name": "Zoë\nEvil"}, "name contains a control character"),
        ({"title": 5}, "title must be text"),
        ({"issued": datetime(2026, 6, 30, 12, 0)}, "issued must be a date"),
        ({"issued": "2026-06-30"}, "issued must be a date"),
        ({"ects": "ten"}, "ects must be a decimal number"),
        ({"ects": "0"}, "ects must be more than 0"),
        ({"ects": "NaN"}, "ects must be more than 0"),
        ({"ects": True}, "ects must be a decimal number"),
        ({"eqf": 9}, "eqf must be an EQF level"),
        ({"eqf": True}, "eqf must be an EQF level"),
        ({"awarding": ()}, "at least one awarding body"),
        ({"awarding": "UH"}, "awarding must be a sequence"),
        ({"key_id": "short"}, "key_id must be 11 base64url characters"),
        ({"key_id": "AAAAAAAAAAA\n"}, "key_id must be 11 base64url characters"),
        ({"record_sha256": "A" * 43 + "\n"}, "record_sha256 must be a base64url SHA-256"),
        ({"record_sha256": "ab" * 32}, "record_sha256 must be a base64url SHA-256"),
        ({"specimen": 1}, "specimen must be true or false"),
        ({"credential_id": "x" * 201}, "credential_id is longer than 200"),
    ],
)
def test_invalid_payloads_are_refused_when_built(make_payload: MakePayload, changes: dict[str, object],
                                                 message: str) -> None:
    with pytest.raises(SealError, match=message):
        make_payload(**changes)


def test_sealing_with_another_key_than_the_payload_names_is_refused(make_payload: MakePayload,
                                                                     other_signer: Signer) -> None:
    with pytest.raises(SealError, match="the payload names key"):
        seal(make_payload(), other_signer)


def test_link_puts_the_token_in_the_fragment_and_replaces_an_old_one() -> None:
    assert verification_link("https://v.example/c/", "T.S") == "https://v.example/c/#T.S"
    assert verification_link("https://v.example/c/#old", "T.S") == "https://v.example/c/#T.S"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        (LONG_LATIN_NAME, LONG_TITLE[:104]),  # Latin names leave room for a 104-character title
        (LONG_CYRILLIC_NAME, LONG_TITLE[:67]),  # two bytes a letter: room for a 67-character title
        (LONG_GREEK_NAME, LONG_TITLE[:37]),  # two bytes a letter and accents deflate worse: 37
    ],
)
def test_120_character_names_with_long_titles_fit_a_version_20_qr_code_at_level_m(
    make_payload: MakePayload, signer: Signer, name: str, title: str
) -> None:
    assert len(name) == 120
    payload = make_payload(name=name, title=title, awarding=("UH", "UNIBO", "UJ", "KUL", "FUB", "UCM", "UE", "UZH"),
                           issuer="UZH", sealed=date(2027, 6, 30),  # the last body seals a year late: longest
                           credential_id="urn:uuid:7c9e6679-7425-50de-944b-e07fc1f90ae7", ects="7.5")
    link = verification_link(BASE_URL, seal(payload, signer))
    image = qr_image(link)  # level M, or SealError
    assert (image.width - 2 * QUIET_ZONE - 17) // 4 <= MAX_VERSION


def test_a_payload_too_large_for_the_qr_code_is_refused_with_advice(make_payload: MakePayload,
                                                                    signer: Signer) -> None:
    link = verification_link(BASE_URL, seal(make_payload(name=LONG_GREEK_NAME, title=LONG_TITLE), signer))
    with pytest.raises(SealError, match="Shorten the title or the verification_url"):
        qr_image(link)


def test_the_latin_worst_case_leaves_room(make_payload: MakePayload, signer: Signer) -> None:
    """Pins the measured size (634 bytes of the 666 a version 20 code holds), so that growth is noticed."""
    link = verification_link(BASE_URL, seal(make_payload(name=LONG_LATIN_NAME, title=LONG_TITLE), signer))
    assert len(link.encode()) <= 640


@pytest.mark.parametrize(
    "text",
    ["", "   ", "#", BASE_URL, BASE_URL + "#", "a.b", "a.b.c", "x" * 5000, "é.é", "AAAA." + "A" * 85,
     "AAAA." + "A" * 87, "AAAA=." + "A" * 86, "AA AA." + "A" * 86],
)
def test_text_that_is_not_shaped_like_a_token_is_malformed(text: str) -> None:
    with pytest.raises(MalformedToken) as caught:
        open_token(text)
    assert not isinstance(caught.value, CorruptPayload)


def test_open_token_refuses_non_text() -> None:
    with pytest.raises(MalformedToken, match="a token is text"):
        open_token(b"abc")  # type: ignore[arg-type]


@pytest.mark.parametrize("head", ["A", "AAAA", "_-_-", b64url_encode(b"\x00" * 30)])
def test_token_shaped_text_whose_payload_does_not_inflate_is_corrupt(head: str) -> None:
    with pytest.raises(CorruptPayload):
        open_token(f"{head}.{'A' * 86}")


def test_base64url_is_strict() -> None:
    assert b64url_decode(b64url_encode(b"\x00\xff\x10")) == b"\x00\xff\x10"
    for bad in ["A", "AB=", "A+B/", "AB\n", "AF"]:  # "AF" has non-zero padding bits
        with pytest.raises(ValueError):
            b64url_decode(bad)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_opens_or_raises_malformed_token(text: str) -> None:
    try:
        open_token(text)
    except MalformedToken:
        pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600), st.binary(min_size=64, max_size=64))
def test_any_token_shaped_bytes_open_or_raise_malformed_token(head: bytes, signature: bytes) -> None:
    try:
        open_token(f"{b64url_encode(head)}.{b64url_encode(signature)}")
    except MalformedToken:
        pass


@settings(max_examples=100, deadline=None)
@given(
    name=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60).filter(str.strip),
    title=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60).filter(str.strip),
    issued=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    eqf=st.integers(1, 8),
    ects=st.decimals(min_value=Decimal("0.25"), max_value=Decimal("999"), places=2),
    specimen=st.booleans(),
    late=st.integers(0, 36525),
    issuer=st.sampled_from(["UH", "UNIBO", "UJ"]),
)
def test_every_valid_payload_round_trips(make_payload: MakePayload, signer: Signer, name: str, title: str,
                                         issued: date, eqf: int, ects: Decimal, specimen: bool, late: int,
                                         issuer: str) -> None:
    sealed = min(issued + timedelta(days=min(late, (date.max - issued).days)), date.max)
    payload = make_payload(name=name, title=title, issued=issued, eqf=eqf, ects=ects, specimen=specimen,
                           issuer=issuer, sealed=sealed)
    assert open_token(seal(payload, signer))[0] == payload


def test_a_format_1_payload_of_unadocs_0_1_still_opens(make_payload: MakePayload, signer: Signer) -> None:
    old = make_payload(issuer=None, sealed=None, version=1)
    data = old.to_json_bytes()
    assert data.startswith(b'{"v":1,') and b'"u"' not in data and b'"e"' not in data
    assert open_token(seal(old, signer))[0] == old
    assert old.sealed_on == old.issued


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"issuer": "KUL"}, "is not one of the awarding bodies"),
        ({"sealed": date(2026, 6, 29)}, "cannot be sealed .* before its issue date"),
        ({"issuer": None}, "names its issuer and the day it is sealed"),
        ({"version": 1}, "format 1 payload names neither"),
    ],
)
def test_a_format_2_payload_names_an_awarding_body_as_issuer_and_seals_on_or_after_the_issue_date(
    make_payload: MakePayload, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(SealError, match=message):
        make_payload(**changes)
