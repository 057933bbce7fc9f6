"""The seals: Ed25519 keys, the trust list, the signed payload, its QR code, the university's eIDAS seal, and
their verification.

A certificate carries a compact signed *token* in the #fragment of its
verification link (the format is documented in :mod:`unadocs.seal.payload`).
Anyone holding the issuer's trust list can check it offline: with
:func:`unadocs.seal.verify.verify` (``unadocs verify``) or in a browser with
WebCrypto. With the university's own eIDAS seal, the PDF also carries a
PAdES seal over every byte and the ELM credential gets a JAdES seal, which
PDF readers and the European Digital Credentials tools check. Only
:mod:`~unadocs.seal.sealing` reads the clock (the day and time of sealing).

Modules:

* :mod:`~unadocs.seal.keys`: generate and load signing keys;
* :mod:`~unadocs.seal.trust`: the trust list (public keys, revocations);
* :mod:`~unadocs.seal.payload`: the payload, sealing and opening tokens;
* :mod:`~unadocs.seal.qr`: the QR code of a verification link;
* :mod:`~unadocs.seal.verify`: the verdict on a token, link, image or PDF;
* :mod:`~unadocs.seal.eseal`: the university's eIDAS seal (PKCS#12 or PKCS#11) and its checks;
* :mod:`~unadocs.seal.pdf_update`, :mod:`~unadocs.seal.pades`: the PAdES seal on a PDF;
* :mod:`~unadocs.seal.jades`: the JAdES seal on an ELM credential, and its verdict;
* :mod:`~unadocs.seal.eseal_check`: trust roots and the verdict on a PDF's PAdES seal;
* :mod:`~unadocs.seal.demo_eseal`: a TEST seal for the demo and the benchmark.

Import from the modules; this package imports nothing, so that
``import unadocs`` never loads ``cryptography``.
"""
