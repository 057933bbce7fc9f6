"""Whether a spec's certificate fits its template: what ``unadocs check`` asks before any learner is issued.

Two or three languages side by side, or long titles, may not fit a template's
boxes. Rendering the shared part of the certificate (the template for a
learner left blank) once says so, in the renderer's own words, before a
registrar runs a whole cohort.
"""

from __future__ import annotations

from pathlib import Path

from unadocs.errors import LearnerError, TemplateError
from unadocs.model import Consortium, Learner
from unadocs.record import build_record

__all__ = ["certificate_fit_problem"]


def certificate_fit_problem(consortium: Consortium, template: Path | None = None) -> str | None:
    """Why the certificates of ``consortium`` cannot be printed with ``template`` (the shipped one by default), or
    None when their shared part fits in every language of ``certificate.languages``."""
    from unadocs.certificate.fields import load_fields
    from unadocs.certificate.render import shared_part_of, template_dir, template_fingerprint

    directory = (template or template_dir()).resolve()
    someone = Learner(learner_id="check", given_names="A", family_name="B", issued=consortium.term.start)
    try:
        record = build_record(consortium, someone)
        load_fields(directory, template_fingerprint(directory)).for_languages(len(record.certificate_languages))
        shared_part_of(record, directory)
    except (TemplateError, LearnerError) as exc:
        return str(exc)
    return None
