"""The QR code of a verification link.

Always error correction level M (15 % of the code may be damaged), at most
version 20 (97 × 97 modules: at 30 mm wide, a module is 0.3 mm, which phone
cameras and 150 dpi scans read), byte mode, a quiet zone of four modules and
a fixed mask. Any mask is valid (ISO/IEC 18004 §7.8); fixing one makes the
output independent of segno's mask scoring and skips that work.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from unadocs.errors import SealError

if TYPE_CHECKING:
    import segno

__all__ = ["MAX_LINK_BYTES", "MAX_VERSION", "QUIET_ZONE", "make_qr", "qr_png", "qr_svg"]

MAX_VERSION = 20
QUIET_ZONE = 4
_MASK = 2
#: Byte capacity of a version 20 code at level M (ISO/IEC 18004, table 7).
MAX_LINK_BYTES = 666


def make_qr(link: str) -> segno.QRCode:
    """The QR code of ``link``; :class:`SealError` if it needs more than version 20 at level M."""
    import segno

    too_long = SealError(
        f"the verification link is {len(link.encode('utf-8'))} bytes; a QR code of at most version {MAX_VERSION} "
        f"at error correction M holds {MAX_LINK_BYTES}. Shorten the title or the verification_url."
    )
    try:
        code = segno.make_qr(link, error="m", boost_error=False, mask=_MASK, mode="byte")
    except segno.DataOverflowError:
        raise too_long from None
    if int(code.version) > MAX_VERSION:
        raise too_long
    return code


def qr_png(link: str, *, scale: int = 8) -> bytes:
    """A black-on-white PNG of the link's QR code, ``scale`` pixels per module, with its quiet zone."""
    buffer = io.BytesIO()
    make_qr(link).save(buffer, kind="png", scale=scale, border=QUIET_ZONE, dark="#000", light="#fff")
    return buffer.getvalue()


def qr_svg(link: str) -> str:
    """An SVG of the link's QR code with its quiet zone, without width and height: size it with CSS (≥ 30 mm).

    Plain SVG (no XML declaration), one path, so it can be inlined in HTML.
    """
    buffer = io.BytesIO()
    make_qr(link).save(
        buffer, kind="svg", border=QUIET_ZONE, xmldecl=False, svgns=True, omitsize=True, nl=False,
        dark="#000", light="#fff", svgclass="qr", lineclass=None, title="QR code: verification link",
    )
    return buffer.getvalue().decode("utf-8")
