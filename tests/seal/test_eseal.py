"""Loading the university's eSeal and checking it before a run: a clear error for every wrong seal, no secret shown."""

from __future__ import annotations

import pickle
from datetime import timedelta
from pathlib import Path

import pytest

from tests.seal.pki import NOW, PASSWORD, UH, Pki, Seal, make_pki
from unadocs.errors import SealError
from unadocs.load import parse_spec
from unadocs.model import Partner
from unadocs.seal.eseal import ESeal, check_eseal, load_eseal, same_organisation


@pytest.fixture(scope="module")
def helsinki(example_data: dict[str, object]) -> Partner:
    """The example's issuer as the spec makes it: University of Helsinki, Helsingin yliopisto."""
    import yaml

    return parse_spec(yaml.safe_dump(example_data, allow_unicode=True), source="example").issuer


def test_a_pkcs12_seal_loads_with_its_certificate_and_chain(uh_seal: Seal, tmp_path: Path) -> None:
    eseal = load_eseal(uh_seal.p12(tmp_path / "uh.p12"), PASSWORD)
    assert eseal.certificate == uh_seal.certificate
    assert eseal.chain == (uh_seal.pki.ca,)
    assert eseal.subject.organisation == UH and eseal.subject.organisation_id == "VATFI-03134717"
    assert eseal.level == "B-B"
    assert load_eseal(uh_seal.p12(tmp_path / "open.p12", None), None).certificate == uh_seal.certificate


def test_the_key_and_password_never_show(uh_seal: Seal, tmp_path: Path) -> None:
    eseal = load_eseal(uh_seal.p12(tmp_path / "uh.p12"), PASSWORD)
    shown = repr(eseal) + str(eseal)
    assert "TEST eSeal" in shown and "B-B" in shown
    assert PASSWORD not in shown and eseal.key.key.hex() not in shown and "key=" not in shown


def test_a_seal_travels_to_worker_processes(uh_seal: Seal, tmp_path: Path) -> None:
    """The issuer's own workers get the seal by pickle, as they get the QR code's key."""
    eseal = load_eseal(uh_seal.p12(tmp_path / "uh.p12"), PASSWORD)
    assert pickle.loads(pickle.dumps(eseal)) == eseal


def test_a_wrong_password_is_named_as_such(uh_seal: Seal, tmp_path: Path) -> None:
    p12 = uh_seal.p12(tmp_path / "uh.p12")
    with pytest.raises(SealError, match="wrong password for this PKCS#12 file") as caught:
        load_eseal(p12, "not the password")
    assert "not the password" not in str(caught.value)


def test_a_pkcs12_without_a_key_is_refused(uh_seal: Seal, tmp_path: Path) -> None:
    with pytest.raises(SealError, match="holds no private key"):
        load_eseal(uh_seal.p12(tmp_path / "cert-only.p12", with_key=False), PASSWORD)


@pytest.mark.parametrize("content", [b"", b"not a pkcs12 file", b"-----BEGIN CERTIFICATE-----\n", bytes(300)])
def test_a_file_that_is_not_pkcs12_is_named_so(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "seal.p12"
    path.write_bytes(content)
    with pytest.raises(SealError, match="not a PKCS#12 file"):
        load_eseal(path, PASSWORD)


def test_a_huge_or_missing_file_is_refused_unread(tmp_path: Path) -> None:
    with pytest.raises(SealError, match="larger than 256 KB"):
        load_eseal("/dev/zero", PASSWORD)
    with pytest.raises(SealError, match="PKCS#12 file not found"):
        load_eseal(tmp_path / "missing.p12", PASSWORD)


def test_a_pkcs12_without_the_certificate_of_its_key_is_refused(pki_rsa: Pki, tmp_path: Path) -> None:
    """A key with only other certificates beside it (another seal's, the CA's) has no certificate to seal with."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    one, other = pki_rsa.seal(), pki_rsa.seal()
    path = tmp_path / "mixed.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"seal", one.key, None, [other.certificate, pki_rsa.ca],
        serialization.BestAvailableEncryption(PASSWORD.encode())))
    with pytest.raises(SealError, match="holds no certificate for its key"):
        load_eseal(path, PASSWORD)


def test_a_certificate_that_may_not_sign_is_not_a_seal(pki_rsa: Pki, tmp_path: Path) -> None:
    from tests.seal.pki import name, new_key

    key = new_key("rsa")
    certificate = pki_rsa.issue(key.public_key(), name("enciphering only", UH), usage="encipher")
    with pytest.raises(SealError, match="key usage does not allow signatures"):
        load_eseal(Seal(pki_rsa, key, certificate).p12(tmp_path / "enc.p12"), PASSWORD)


def test_the_seal_of_the_issuer_passes_in_english_or_its_own_language(pki_rsa: Pki, helsinki: Partner,
                                                                      tmp_path: Path) -> None:
    for index, organisation in enumerate((UH, "Helsingin yliopisto", "  university OF helsinki ")):
        eseal = load_eseal(pki_rsa.seal(organisation).p12(tmp_path / f"{index}.p12"), PASSWORD)
        assert check_eseal(eseal, helsinki, NOW) == eseal


def test_the_seal_of_another_university_stops_the_run(pki_rsa: Pki, helsinki: Partner, tmp_path: Path) -> None:
    bologna = load_eseal(pki_rsa.seal("University of Bologna", "VATIT-01131710376").p12(tmp_path / "b.p12"), PASSWORD)
    with pytest.raises(SealError, match=r"names organisation 'University of Bologna'.*issued by UH.*"
                                        r"'University of Helsinki' or 'Helsingin yliopisto'.*--eseal-any-subject"):
        check_eseal(bologna, helsinki, NOW)
    assert check_eseal(bologna, helsinki, NOW, any_subject=True) == bologna  # a pilot certificate, in a test
    nameless = load_eseal(pki_rsa.seal(None, None).p12(tmp_path / "n.p12"), PASSWORD)
    with pytest.raises(SealError, match="names no organisation name"):
        check_eseal(nameless, helsinki, NOW)


def test_an_organisation_identifier_must_be_the_eidas_identifier_the_spec_gives(
        pki_rsa: Pki, helsinki: Partner, tmp_path: Path) -> None:
    with_id = helsinki.model_copy(update={"eidas_identifier": "FI/VATFI-0313471-7"})
    same = load_eseal(pki_rsa.seal(UH, "VATFI-03134717").p12(tmp_path / "same.p12"), PASSWORD)
    assert check_eseal(same, with_id, NOW) == same  # FI/VATFI-0313471-7 and VATFI-03134717 are one identifier
    other = load_eseal(pki_rsa.seal(UH, "VATFI-99999999").p12(tmp_path / "other.p12"), PASSWORD)
    with pytest.raises(SealError, match="organizationIdentifier is 'VATFI-99999999'.*'FI/VATFI-0313471-7'"):
        check_eseal(other, with_id, NOW)


def test_an_expired_or_future_seal_certificate_stops_the_run(pki_rsa: Pki, helsinki: Partner,
                                                             tmp_path: Path) -> None:
    expired = pki_rsa.seal(not_after=NOW - timedelta(days=1))
    with pytest.raises(SealError, match=r"expired on \d{4}-\d\d-\d\d; ask the trust service provider"):
        check_eseal(load_eseal(expired.p12(tmp_path / "old.p12"), PASSWORD), helsinki, NOW)
    future = pki_rsa.seal(not_before=NOW + timedelta(days=2))
    with pytest.raises(SealError, match="is valid only from"):
        check_eseal(load_eseal(future.p12(tmp_path / "new.p12"), PASSWORD), helsinki, NOW)


def test_a_timestamp_server_that_does_not_answer_stops_the_run(uh_seal_rsa: Seal, helsinki: Partner,
                                                               tmp_path: Path) -> None:
    import socket

    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    eseal = load_eseal(uh_seal_rsa.p12(tmp_path / "uh.p12"), PASSWORD, tsa=f"http://127.0.0.1:{port}/tsa")
    assert eseal.level == "B-T"
    with pytest.raises(SealError, match=f"the timestamp server http://127.0.0.1:{port}/tsa did not give a timestamp"):
        check_eseal(eseal, helsinki, NOW)
    with pytest.raises(SealError, match="an http:// or https:// URL"):
        load_eseal(uh_seal_rsa.p12(tmp_path / "uh.p12"), PASSWORD, tsa="file:///etc/passwd")


def test_a_timestamp_server_gives_the_room_its_tokens_need(uh_seal_rsa: Seal, helsinki: Partner, tsa_url: str,
                                                           tmp_path: Path) -> None:
    eseal = load_eseal(uh_seal_rsa.p12(tmp_path / "uh.p12"), PASSWORD, tsa=tsa_url)
    checked = check_eseal(eseal, helsinki, NOW)
    assert 2000 < checked.timestamp_size < 20000 and checked.tsa == tsa_url


def test_organisation_names_compare_as_people_read_them() -> None:
    assert same_organisation("Helsingin  Yliopisto", "University of Helsinki", "Helsingin yliopisto")
    assert same_organisation("ＵＮＩＶＥＲＳＩＴＹ of Helsinki", "University of Helsinki")  # full-width, NFKC
    assert not same_organisation("University of Helsinki Alumni", "University of Helsinki")
    assert not same_organisation(None, "University of Helsinki") and not same_organisation("", "")


def test_an_rsa_key_too_short_for_a_seal_is_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    from tests.seal.pki import name

    pki = make_pki("rsa", " short")
    key = rsa.generate_private_key(65537, 1024)
    certificate = pki.issue(key.public_key(), name("short", UH))
    with pytest.raises(SealError, match="RSA key of 1024 bits is too short"):
        load_eseal(Seal(pki, key, certificate).p12(tmp_path / "short.p12"), PASSWORD)


def test_an_eseal_is_frozen(uh_seal: Seal, tmp_path: Path) -> None:
    eseal: ESeal = load_eseal(uh_seal.p12(tmp_path / "uh.p12"), PASSWORD)
    with pytest.raises(AttributeError):
        eseal.tsa = "http://elsewhere"  # type: ignore[misc]
