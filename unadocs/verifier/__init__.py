"""The verification page: a static site that checks a certificate's QR link in the browser.

:func:`unadocs.verifier.site.build_verifier_site` writes it (``unadocs verifier-site``).
The page's files are data under ``templates/verifier/``; its JavaScript
applies the same checks, in the same order, as :func:`unadocs.seal.verify.verify`.
"""
