"""The QR code: level M, at most version 20, quiet zone, deterministic, and it decodes back."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from tests.seal.conftest import BASE_URL
from tests.seal.test_payload import LONG_LATIN_NAME, LONG_TITLE, MakePayload
from unadocs.errors import SealError
from unadocs.seal.keys import Signer
from unadocs.seal.payload import seal, verification_link
from unadocs.seal.qr import MAX_VERSION, QUIET_ZONE, qr_image, qr_png


@pytest.fixture(scope="module")
def long_link(make_payload: MakePayload, signer: Signer) -> str:
    return verification_link(BASE_URL, seal(make_payload(name=LONG_LATIN_NAME, title=LONG_TITLE), signer))


def _version(image: Image.Image) -> int:
    return (image.width - 2 * QUIET_ZONE - 17) // 4


def test_png_decodes_back_to_the_link_with_zxing(long_link: str) -> None:
    image = Image.open(io.BytesIO(qr_png(long_link, scale=3)))
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == [long_link]
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    assert results[0].ec_level == "M"


def test_png_has_a_four_module_quiet_zone(long_link: str) -> None:
    scale = 3
    symbol = qr_image(long_link)
    image = Image.open(io.BytesIO(qr_png(long_link, scale=scale))).convert("L")
    assert image.size == (symbol.width * scale, symbol.height * scale)
    border = QUIET_ZONE * scale
    for band in (image.crop((0, 0, image.width, border)), image.crop((0, 0, border, image.height)),
                 image.crop((0, image.height - border, image.width, image.height)),
                 image.crop((image.width - border, 0, image.width, image.height))):
        assert band.getextrema() == (255, 255)
    assert image.crop((border, border, image.width - border, image.height - border)).getextrema() == (0, 255)


def test_the_worst_case_link_stays_within_version_20(long_link: str) -> None:
    assert _version(qr_image(long_link)) <= MAX_VERSION


def test_output_is_deterministic(long_link: str) -> None:
    assert qr_png(long_link) == qr_png(long_link)


def test_a_link_beyond_version_20_is_refused() -> None:
    with pytest.raises(SealError, match="at most version 20 at error correction M holds 666"):
        qr_png(BASE_URL + "#" + "a-" * 320)
    with pytest.raises(SealError, match="verification link is 5032 bytes"):
        qr_png(BASE_URL + "#" + "A" * 5000)
