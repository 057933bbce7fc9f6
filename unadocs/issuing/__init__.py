"""Issuing: the one orchestrator of a run, from learners to records to sealed PDFs, exports and files.

* :mod:`~unadocs.issuing.api`: :func:`issue_certificates`, :func:`export_credentials`, :func:`render_certificate`;
* :mod:`~unadocs.issuing.run`: a run in chunks over any executor, resumable, with its results;
* :mod:`~unadocs.issuing.names`: every learner's own file names;
* :mod:`~unadocs.issuing.manifest`: what each learner's files were made from;
* :mod:`~unadocs.issuing.reports`: ``errors.csv``;

Only the package root and the command line import this package.
"""

from unadocs.issuing.api import (
    export_credentials,
    issue_certificates,
    ob3_jwt,
    parse_formats,
    render_certificate,
    sealed_certificate,
)
from unadocs.issuing.run import IssueResult, Run, Superseded

__all__ = ["IssueResult", "Run", "Superseded", "export_credentials", "issue_certificates", "ob3_jwt", "parse_formats",
           "render_certificate", "sealed_certificate"]
