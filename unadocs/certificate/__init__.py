"""The certificate PDF: rendering only, from a sealed record to PDF/A-3 bytes, and the print file.

* :mod:`~unadocs.certificate.render`: HTML from ``templates/certificate`` and PDF/A-3;
* :mod:`~unadocs.certificate.combined`: the print file of a whole run.

This package reads the certificate record (:mod:`unadocs.record`) and never
writes a learner's files: :mod:`unadocs.issuing` orchestrates a run.
"""
