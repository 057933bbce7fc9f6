"""Advisories: framework recommendations a valid spec departs from.

An advisory never blocks an output. Each has a stable ``code`` (tools may
filter on it), the ``path`` of the field concerned, a message in plain words
and the framework ``section`` it comes from. Members' own constraints
(credit limits, course sizes, fee caps) come from the registry data, so they
change with the framework's tables without a code change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from unadocs.errors import Location, format_location
from unadocs.model import Consortium, Partner
from unadocs.model.translated import Translated
from unadocs.model.base import decimal_text
from unadocs.model.enums import (
    DisputeResolution,
    FinanceModel,
    LanguageLevel,
    Participation,
    Responsibility,
    StackabilityMode,
)
from unadocs.model.registry import ArbitrationLimit, CourseSize, EctsRange, FeeCap

__all__ = ["Advisory", "advisories", "lower_case_party_words"]

_BELOW_B1 = {LanguageLevel.A1, LanguageLevel.A2}


@dataclass(frozen=True)
class Advisory:
    """A warning about a valid spec, with the framework section behind it."""

    code: str
    loc: Location
    message: str
    section: str
    line: int | None = None

    @property
    def path(self) -> str:
        return format_location(self.loc)

    def __str__(self) -> str:
        line = f" (line {self.line})" if self.line is not None else ""
        return f"warning {self.code} {self.path}{line}: {self.message} (framework §{self.section})"

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "path": self.path, "line": self.line, "message": self.message,
                "section": self.section}


def advisories(c: Consortium) -> list[Advisory]:
    """Every advisory for a consortium, in a stable order, with the spec line of each field when known."""
    from dataclasses import replace

    return [replace(a, line=c.source_line(a.loc))
            for a in (*_unfinished(c), *_member_constraints(c), *_recommendations(c), *_agreement_drafting(c))]


def _unfinished(c: Consortium) -> Iterator[Advisory]:
    """The placeholders a spec started with ``unadocs init`` still holds: one advisory each, at its field."""
    from unadocs.starter import unfinished

    for loc in unfinished(c.model_dump(mode="json", exclude_none=True)):
        yield Advisory("to-complete", loc, "still a placeholder: fill it in before the agreement goes out", "5")


def _member_constraints(c: Consortium) -> Iterator[Advisory]:
    from unadocs.model.registry import member

    for i, partner in enumerate(c.partners):
        if partner.member is None:
            continue
        for rule in member(partner.member).constraints:
            if isinstance(rule, EctsRange):
                yield from _ects_range(c, partner, rule)
            elif isinstance(rule, CourseSize):
                yield from _course_size(c, partner, rule)
            elif isinstance(rule, FeeCap):
                yield from _fee_cap(c, partner, rule)
            elif isinstance(rule, ArbitrationLimit) and c.law.disputes is DisputeResolution.ARBITRATION:
                yield Advisory(rule.code, ("law", "disputes"),
                               f"arbitration with {partner.name} ({partner.id}) as a Party: {rule.note}", rule.section)


def _ects_range(c: Consortium, partner: Partner, rule: EctsRange) -> Iterator[Advisory]:
    ects = c.credential.ects
    loc = ("credential", "ects")
    too_low = rule.min is not None and ects < rule.min
    too_high = rule.max is not None and (ects >= rule.max if rule.max_exclusive else ects > rule.max)
    if too_low or too_high:
        yield Advisory(rule.code, loc, f"{decimal_text(ects)} ECTS with {partner.name} ({partner.id}) as a partner: "
                       f"{rule.note}", rule.section)
    elif rule.preferred_max is not None and ects > rule.preferred_max:
        yield Advisory(f"{rule.code}-preferred", loc, f"{decimal_text(ects)} ECTS is above the {decimal_text(rule.preferred_max)} "
                       f"ECTS that {partner.name} ({partner.id}) prefers: {rule.note}", rule.section)


def _course_size(c: Consortium, partner: Partner, rule: CourseSize) -> Iterator[Advisory]:
    if c.credential.stackability.mode is not StackabilityMode.STACKABLE:
        return
    for i, course in enumerate(c.credential.courses):
        if course.provider != partner.id:
            continue
        e = course.ects
        bad = (
            (rule.multiple_of is not None and e % rule.multiple_of != 0)
            or (rule.one_of is not None and e not in rule.one_of)
            or (rule.min is not None and e < rule.min)
        )
        if bad:
            yield Advisory(rule.code, ("credential", "courses", i, "ects"),
                           f"{course.title!r} ({decimal_text(e)} ECTS, provided by {partner.id}) may not count towards a "
                           f"larger credential: {rule.note}", rule.section)


def _fee_cap(c: Consortium, partner: Partner, rule: FeeCap) -> Iterator[Advisory]:
    if not any(course.provider == partner.id for course in c.credential.courses):
        return
    cap = rule.per_ects
    for i, fee in enumerate(c.finance.fees):
        if fee.amount.currency != cap.currency:
            continue
        per_ects = fee.amount.amount / c.credential.ects
        if per_ects > cap.amount:
            yield Advisory(rule.code, ("finance", "fees", i, "amount"),
                           f"{fee.amount} for {decimal_text(c.credential.ects)} ECTS "
                           f"is {_amount(per_ects)} {cap.currency}/ECTS, above the {_amount(cap.amount)} "
                           f"{cap.currency}/ECTS of {partner.name} ({partner.id}), which provides courses: "
                           f"{rule.note}", rule.section)


def _amount(value: Decimal) -> str:
    """An amount of money as advisories write it: two decimals, rounded half up (``12.10``)."""
    from decimal import ROUND_HALF_UP

    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}"


def _recommendations(c: Consortium) -> Iterator[Advisory]:
    cred = c.credential
    if cred.language_level in _BELOW_B1:
        yield Advisory("language-level", ("credential", "language_level"),
                       f"the recommended language level is {cred.language_level.value}; B1 should be the minimum",
                       "3.2.8")
    if len(cred.languages) == 1 and not any(course.language for course in cred.courses):
        yield Advisory("single-language", ("credential", "languages"),
                       "taught in one language only; consider subtitles and scripts in other Una Europa languages, "
                       "or electives taught in another language", "3.2.8")
    yield from _untranslated(c)
    if cred.stackability.mode is StackabilityMode.STACKABLE and not cred.stackability.towards:
        yield Advisory("stackable-without-target", ("credential", "stackability", "towards"),
                       "stackable, but towards nothing: identify at least one programme it can be stacked towards",
                       "3.2.6")
    if cred.participation in (Participation.BLENDED, Participation.HYBRID) and cred.ects < 3:
        yield Advisory("bip-minimum-ects", ("credential", "ects"),
                       f"{cred.participation.value} participation with {decimal_text(cred.ects)} ECTS: an Erasmus+ Blended "
                       "Intensive Programme needs at least 3 ECTS to be funded", "3.4.2")
    licence = c.intellectual_property.teaching_materials.creative_commons
    if licence is not None and licence.no_derivatives:
        yield Advisory("no-derivatives-licence", ("intellectual_property", "teaching_materials", "licence"),
                       f"{licence.spdx} forbids adaptations; Erasmus+ open-access rules exclude no-derivatives "
                       "licences, so EU-funded materials could not use it", "3.4.2")
    if c.certificate.issuer != c.lead.id:
        yield Advisory("issuer-not-lead", ("certificate", "issuer"),
                       f"certificates are issued by {c.certificate.issuer}, not by the lead partner {c.lead.id}; "
                       "make sure the agreement gives it the certificates responsibility", "3.3.3")
    if c.is_draft:
        yield Advisory("draft-specimens", ("agreement", "status"),
                       "the agreement is a draft: certificates issued now are SPECIMENS that no verifier accepts",
                       "3.1")
    law_countries = {"BE"} | {p.country for p in c.partners}
    if c.law.country not in law_countries:
        yield Advisory("applicable-law", ("law", "applicable"),
                       f"the law of {c.law.applicable} is neither Belgian law (Una Europa's seat) nor the law of "
                       "a partner's country", "5")


# -- what the agreement needs from the spec ---------------------------------------------

#: "partner" or "party" written in lower case, where the agreement's defined term is "Party";
#: "third party" and "third-party" are ordinary English and stay allowed.
_LOWER_CASE_PARTY = re.compile(r"(?<![Tt]hird )(?<![Tt]hird-)\b(partners?|party|parties)\b")

_DETAILS = {"legal_form": "legal form", "address": "registered address",
            "identifier": "official identifier (enterprise, VAT or other register number)"}


def _translatable_texts(c: Consortium) -> Iterator[tuple[Location, Translated]]:
    """Every text of the spec that a certificate prints and that may be given per language, at its field."""
    cred = c.credential
    for name in ("title", "summary", "assessment", "quality_assurance", "prerequisites", "further_information"):
        value = getattr(cred, name)
        if isinstance(value, Translated):
            yield ("credential", name), value
    for i, outcome in enumerate(cred.learning_outcomes):
        yield ("credential", "learning_outcomes", i), outcome
    for i, target in enumerate(cred.stackability.towards):
        yield ("credential", "stackability", "towards", i), target
    for i, course in enumerate(cred.courses):
        yield ("credential", "courses", i, "title"), course.title
        if course.pillar is not None:
            yield ("credential", "courses", i, "pillar"), course.pillar
    signing = set(c.certificate.signatories)
    for i, partner in enumerate(c.partners):
        if partner.id in signing:
            yield ("partners", i, "signatory", "title"), partner.signatory.title
    yield ("certificate", "conditions"), c.certificate.conditions


def _untranslated(c: Consortium) -> Iterator[Advisory]:
    """The texts a certificate prints in its primary language only, for each other language it speaks."""
    others = c.certificate.languages[1:]
    if not others:
        return
    for loc, text in _translatable_texts(c):
        missing = [language for language in others if text.in_language(language) is None]
        if missing:
            yield Advisory("untranslated", loc, f"given in {c.certificate.languages[0]} only, not in "
                           f"{', '.join(missing)}: the certificate prints it in {c.certificate.languages[0]} for "
                           f"those languages too (write {{{c.certificate.languages[0]}: ..., {missing[0]}: ...}})",
                           "3.2.8")


def lower_case_party_words(text: str) -> list[str]:
    """The words of a text that write "partner" or "party" in lower case, in order."""
    return [m.group(1) for m in _LOWER_CASE_PARTY.finditer(text)]


def _agreement_texts(c: Consortium) -> Iterator[tuple[Location, str]]:
    """The free texts of a spec that the agreement prints in its clauses, with their paths.

    The disclaimer is left out: the agreement quotes it as written.
    """
    yield ("credential", "summary"), c.credential.summary
    yield ("governance", "management_committee"), c.governance.management_committee
    for pid, rule in c.recognition.items():
        yield ("recognition", pid), rule
    f = c.finance
    for i, fee in enumerate(f.fees):
        yield ("finance", "fees", i, "learners"), fee.learners
    if f.costs:
        yield ("finance", "costs"), f.costs
    for i, text in enumerate(f.common_costs):
        yield ("finance", "common_costs", i), text
    for i, text in enumerate(f.joint_activities):
        yield ("finance", "joint_activities", i), text
    yield ("branding", "logo_licence", "scope"), c.branding.logo_licence.scope
    yield ("branding", "logo_licence", "ends"), c.branding.logo_licence.ends
    yield ("certificate", "conditions"), c.certificate.conditions
    ip = c.intellectual_property
    yield ("intellectual_property", "third_party_content"), ip.third_party_content
    for pid, items in ip.listed_background.items():
        for i, text in enumerate(items):
            yield ("intellectual_property", "listed_background", pid, i), text


def _agreement_drafting(c: Consortium) -> Iterator[Advisory]:
    """What the agreement cannot yet say well: missing details, tasks, recognition rules, wording."""
    for i, p in enumerate(c.partners):
        missing = [_DETAILS[name] for name in p.missing_details]
        if missing:
            yield Advisory("party-details-missing", ("partners", i),
                           f"{p.name} ({p.id}) has no {_join(missing, 'or')}: the parties clause and Annex 2 show a "
                           "placeholder until the spec gives them as its register shows them", "5")
    for p in c.partners:
        listed = c.governance.responsibilities.get(p.id, [])
        if Responsibility.TEACHING in listed and not c.courses_of(p.id):
            yield Advisory("teaching-without-course", ("governance", "responsibilities", p.id),
                           f"{p.id} is given teaching but provides no course in credential.courses; the agreement "
                           "gives it no teaching task", "5")
        if not c.tasks_of(p.id):
            yield Advisory("party-without-task", ("governance", "responsibilities"),
                           f"{p.name} ({p.id}) has no task: it provides no course, is neither the lead, the "
                           "certificate issuer nor the collecting partner, and governance.responsibilities gives "
                           "it none", "5")
    without = [p.id for p in c.partners if not c.recognition.get(p.id)]
    if without:
        yield Advisory("recognition-missing", ("recognition",),
                       f"no recognition rule for {_join(without)}: the agreement says that "
                       f"{'they apply their' if len(without) > 1 else 'it applies its'} general rules on the "
                       "recognition of prior learning", "5")
    f = c.finance
    if f.model in (FinanceModel.CENTRALISED, FinanceModel.MIXED) and not f.common_costs:
        use = "shared" if f.revenue_shares else "reinvested"
        yield Advisory("common-costs-not-listed", ("finance", "common_costs"),
                       f"no common costs are listed, so nothing is deducted from the fees before they are {use}; "
                       "list in finance.common_costs any cost that is (finance.costs only describes who bears "
                       "which cost)", "3.4.3")
    for loc, text in _agreement_texts(c):
        words = lower_case_party_words(text)
        if words:
            yield Advisory("lower-case-party", loc,
                           f"writes {words[0]!r} in lower case, but in the agreement the defined term is "
                           "'Party' ('Parties'): capitalise it, or name the Party, so that the text says which "
                           "Parties it binds", "5")


def _join(items: list[str], conjunction: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {conjunction} {items[-1]}"
