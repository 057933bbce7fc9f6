"""The one-screen summary of a consortium that ``unadocs check`` prints."""

from __future__ import annotations

from typing import Any

from unadocs.model import Consortium
from unadocs.model.base import decimal_text

__all__ = ["summarise", "summary_text"]


def summarise(c: Consortium) -> dict[str, Any]:
    """The facts of the summary as plain data (the ``--json`` form)."""
    cred = c.credential
    return {
        "credential": {
            "title": cred.title,
            "eqf_level": cred.eqf_level,
            "cycle": cred.cycle.value if cred.cycle else None,
            "ects": decimal_text(cred.ects),
            "participation": cred.participation.value,
            "stackability": cred.stackability.mode.value,
            "languages": cred.languages,
        },
        "agreement": {
            "reference": c.agreement.reference,
            "version": c.agreement.version,
            "status": c.agreement.status.value,
            "date": c.agreement.date.isoformat(),
        },
        "partners": [
            {
                "id": p.id,
                "name": p.name,
                "country": p.country,
                "member": p.member,
                "role": p.role.value,
                "certificate_issuer": p.id == c.certificate.issuer,
                "accession_date": d.isoformat() if (d := c.accession_date(p.id)) else None,
            }
            for p in c.partners
        ],
        "term": {
            "start": c.term.start.isoformat(),
            "end": c.term.end.isoformat(),
            "duration_years": c.term.duration_years,
            "review": c.term.review.value,
        },
        "finance": {
            "model": c.finance.model.value,
            "collecting_partner": c.finance.collecting_partner,
            "fees": [{"learners": f.learners, "amount": str(f.amount)} for f in c.finance.fees],
        },
    }


def summary_text(c: Consortium) -> str:
    """The summary as aligned plain text."""
    cred = c.credential
    level = f"EQF {cred.eqf_level}" + (f" ({cred.cycle.value} cycle)" if cred.cycle else "")
    lines = [
        cred.title,
        f"  {level} · {decimal_text(cred.ects)} ECTS · {cred.participation.value} · {cred.stackability.mode.value} · "
        f"{', '.join(cred.languages)}",
        f"  agreement {c.agreement.reference}, version {c.agreement.version} ({c.agreement.status.value}), "
        f"{c.agreement.date.isoformat()}",
        "",
        "Partners",
    ]
    width = max(len(p.id) for p in c.partners)
    for p in c.partners:
        roles = [p.role.value]
        if p.id == c.certificate.issuer:
            roles.append("certificate issuer")
        if not p.is_member:
            roles.append("associated (non-member)")
        if (joined := c.accession_date(p.id)) is not None:
            roles.append(f"accedes {joined.isoformat()}")
        lines.append(f"  {p.id:<{width}}  {p.name} ({p.country}) · {', '.join(roles)}")
    t = c.term
    lines += [
        "",
        f"Term     {t.start.isoformat()} to {t.end.isoformat()} ({t.duration_years} years, review: {t.review.value}, "
        f"renewal: {t.renewal.value})",
    ]
    f = c.finance
    collected = f" collected by {f.collecting_partner}" if f.collecting_partner else ""
    fees = "; ".join(f"{fee.amount} for {fee.learners}" for fee in f.fees) or "no fees"
    lines.append(f"Finance  {f.model.value}{collected}; {fees}")
    return "\n".join(lines)
