"""Joint certificates: the record, the learner list, the PDF and the issuing run.

* :mod:`~unadocs.certificate.record`: one learner + the consortium on the issue date;
* :mod:`~unadocs.certificate.learners`: the CSV/XLSX learner list, row by row;
* :mod:`~unadocs.certificate.render`: HTML from ``templates/certificate`` and PDF/A-3;
* :mod:`~unadocs.certificate.issue`: sealing, rendering and writing the files;
* :mod:`~unadocs.certificate.files`: safe file names and atomic writes.
"""

from unadocs.certificate.issue import IssueResult, issue_certificates, render_certificate
from unadocs.certificate.record import CertificateRecord, build_record

__all__ = ["CertificateRecord", "IssueResult", "build_record", "issue_certificates", "render_certificate"]
