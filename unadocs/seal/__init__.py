"""The seal: Ed25519 keys, the trust list, the signed payload, its QR code and verification.

A certificate carries a compact signed *token* in the #fragment of its
verification link (the format is documented in :mod:`unadocs.seal.payload`).
Anyone holding the issuer's trust list can check it offline: with
:func:`unadocs.seal.verify.verify` (``unadocs verify``) or in a browser with
WebCrypto. Nothing here reads the clock.

Modules:

* :mod:`~unadocs.seal.keys`: generate and load signing keys;
* :mod:`~unadocs.seal.trust`: the trust list (public keys, revocations);
* :mod:`~unadocs.seal.payload`: the payload, sealing and opening tokens;
* :mod:`~unadocs.seal.qr`: the QR code of a verification link;
* :mod:`~unadocs.seal.verify`: the verdict on a token, link, image or PDF.

Import from the modules; this package imports nothing, so that
``import unadocs`` never loads ``cryptography``.
"""
