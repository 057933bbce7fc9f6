"""The QR code: level M, at most version 20, fixed mask, quiet zone, and it decodes back."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image

from tests.seal.conftest import BASE_URL
from tests.seal.test_payload import LONG_LATIN_NAME, LONG_TITLE, MakePayload
from unadocs.errors import SealError
from unadocs.seal.keys import Signer
from unadocs.seal.payload import seal, verification_link
from unadocs.seal.qr import QUIET_ZONE, make_qr, qr_png, qr_svg


@pytest.fixture(scope="module")
def long_link(make_payload: MakePayload, signer: Signer) -> str:
    return verification_link(BASE_URL, seal(make_payload(name=LONG_LATIN_NAME, title=LONG_TITLE), signer))


def test_png_decodes_back_to_the_link_with_zxing(long_link: str) -> None:
    image = Image.open(io.BytesIO(qr_png(long_link)))
    results = zxingcpp.read_barcodes(image)
    assert [r.text for r in results] == [long_link]
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode


def test_png_has_a_four_module_quiet_zone(long_link: str) -> None:
    code = make_qr(long_link)
    scale = 3
    image = Image.open(io.BytesIO(qr_png(long_link, scale=scale))).convert("L")
    modules = code.symbol_size(scale=1, border=0)[0]
    assert image.size == ((modules + 2 * QUIET_ZONE) * scale,) * 2
    border = QUIET_ZONE * scale
    band = image.crop((0, 0, image.size[0], border))
    assert band.getextrema() == (255, 255)


def test_code_is_level_m_byte_mode_fixed_mask(long_link: str, make_payload: MakePayload, signer: Signer) -> None:
    code = make_qr(long_link)
    assert (code.error, code.mode, int(code.version) <= 20) == ("M", "byte", True)
    short = make_qr(verification_link(BASE_URL, seal(make_payload(), signer)))
    assert short.mask == code.mask == 2


def test_output_is_deterministic(long_link: str) -> None:
    assert qr_png(long_link) == qr_png(long_link)
    assert qr_svg(long_link) == qr_svg(long_link)


def test_svg_is_inline_ready_and_sized_by_css(long_link: str) -> None:
    svg = qr_svg(long_link)
    assert svg.startswith("<svg ") and "<?xml" not in svg
    assert 'viewBox="0 0 ' in svg and not re.search(r'\swidth="', svg.split(">")[0])
    modules = make_qr(long_link).symbol_size(scale=1, border=0)[0]
    assert f'viewBox="0 0 {modules + 2 * QUIET_ZONE} {modules + 2 * QUIET_ZONE}"' in svg


def test_svg_decodes_back_to_the_link(long_link: str) -> None:
    """Render the SVG's path with Pillow (the path is 1-module horizontal runs) and decode it."""
    svg = qr_svg(long_link)
    size = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))  # type: ignore[union-attr]
    path = re.search(r'stroke="#000" d="([^"]+)"', svg).group(1)  # type: ignore[union-attr]
    scale = 4
    image = Image.new("L", (size * scale, size * scale), 255)
    pixels = image.load()
    x = y = 0.0
    for command, number in re.findall(r"([Mmhv])(-?[\d.]+(?: -?[\d.]+)?)", path):
        values = [float(v) for v in number.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        elif command == "h":
            start, x = x, x + values[0]
            for px in range(int(min(start, x) * scale), int(max(start, x) * scale)):
                for py in range(int((y - 0.5) * scale), int((y + 0.5) * scale)):
                    pixels[px, py] = 0  # type: ignore[index]
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [long_link]


def test_a_link_beyond_version_20_is_refused() -> None:
    with pytest.raises(SealError, match="at most version 20 at error correction M holds 666"):
        make_qr(BASE_URL + "#" + "A" * 640)
    with pytest.raises(SealError, match="verification link is 5032 bytes"):
        qr_png(BASE_URL + "#" + "A" * 5000)

