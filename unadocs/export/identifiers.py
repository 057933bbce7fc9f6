"""The URIs the exports give to the credential, the organisations and the achievement.

Every id derives from the record (agreement reference, partner ids, registry
codes, credential id), so that the same certificate always gives the same
documents, and the ELM and Open Badges views name each organisation alike.
"""

from __future__ import annotations

import uuid
from datetime import date

from unadocs.record import CREDENTIAL_NAMESPACE, Body, CertificateRecord

__all__ = ["achievement_uri", "day_time", "organisation_uri"]


def organisation_uri(record: CertificateRecord, body: Body) -> str:
    """A member university is named by its Una Europa registry code; any other partner within its agreement."""
    if body.member:
        return f"urn:unadocs:una-europa-member:{body.member}"
    return f"urn:unadocs:partner:{uuid.uuid5(CREDENTIAL_NAMESPACE, f'{record.agreement.reference}/partner/{body.id}')}"


def achievement_uri(record: CertificateRecord) -> str:
    """The micro-credential itself (the same for every learner of one agreement)."""
    return f"urn:uuid:{uuid.uuid5(CREDENTIAL_NAMESPACE, f'{record.agreement.reference}/achievement')}"


def day_time(day: date) -> str:
    """A date as the xsd:dateTime both formats expect: midnight UTC of that day (no wall clock is read)."""
    return f"{day.isoformat()}T00:00:00Z"
