"""The micro-credential: the Council Recommendation's elements and the courses.

Council Recommendation 2022/C 243/02, Annex I, lists eleven mandatory
elements. Five come from here (title, learning outcomes, workload, level,
assessment, participation, quality assurance); the learner, the awarding
bodies, their countries and the issue date come from the learner and the
partners on the day of issue.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator

from unadocs.model.base import Day, invalid, LanguageCode, PartnerId, ShortText, SpecModel, Text
from unadocs.model.enums import Cycle, LanguageLevel, Participation, StackabilityMode, Supervision
from unadocs.model.translated import TranslatedShortText, TranslatedText

__all__ = ["Course", "Stackability", "Lifespan", "Credential", "Ects"]


def _positive(value: Decimal) -> Decimal:
    if value <= 0:
        raise invalid("ects", "ECTS must be more than 0, not {value}", value=str(value))
    return value


#: A number of ECTS credits: more than zero, halves and quarters allowed.
Ects = Annotated[Decimal, AfterValidator(_positive)]


class Course(SpecModel):
    """A course (module) that counts towards the micro-credential."""

    title: TranslatedText
    ects: Ects
    provider: PartnerId
    """Id of the partner that teaches the course."""
    platform: str | None = None
    """Where it is taught, e.g. a MOOC platform."""
    mandatory: bool = False
    """Whether every learner must take it."""
    pillar: TranslatedShortText | None = None
    """The group of electives it belongs to, if any; printed beside the course, so in each certificate language."""
    language: LanguageCode | None = None
    """Its language of instruction when it differs from the credential's."""


class Stackability(SpecModel):
    """Integration and stackability options (optional element; framework §3.2.6)."""

    mode: StackabilityMode = StackabilityMode.STANDALONE
    towards: list[TranslatedText] = []
    """Larger credentials or programmes it can be stacked towards."""


class Lifespan(SpecModel):
    """When the micro-credential is first offered and how often."""

    first_edition: Day
    recurrence: str | None = None
    """Free text, e.g. "each academic year"."""


class Credential(SpecModel):
    """The micro-credential as the agreement and every certificate describe it."""

    title: TranslatedShortText
    """Title of the micro-credential (mandatory element 2): a text, or one per language ({en: ..., fi: ...})."""
    focus_area: Text
    """The Una Europa focus area it belongs to (framework §2.2)."""
    summary: TranslatedText
    eqf_level: int
    """EQF level, 5 to 8 (mandatory element 8)."""
    cycle: Cycle | None = None
    """QF-EHEA cycle; must match the EQF level (short 5, first 6, second 7, third 8)."""
    ects: Ects
    """Notional workload in ECTS (mandatory element 7)."""
    learning_outcomes: list[TranslatedText] = Field(min_length=1)
    """Learning outcomes (mandatory element 6)."""
    assessment: TranslatedText
    """Type of assessment (mandatory element 9)."""
    supervision: Supervision | None = None
    """Supervision and identity verification during assessment (optional element)."""
    participation: Participation
    """Form of participation (mandatory element 10)."""
    quality_assurance: TranslatedText
    """Type of quality assurance (mandatory element 11)."""
    languages: list[LanguageCode] = Field(min_length=1)
    """Languages of instruction, ISO 639-1."""
    language_level: LanguageLevel | None = None
    """Minimum recommended CEFR level in the language(s) of instruction."""
    prerequisites: TranslatedText | None = None
    """Prerequisites needed to enrol (optional element)."""
    target_audience: str | None = None
    stackability: Stackability = Stackability()
    lifespan: Lifespan | None = None
    further_information: TranslatedText | None = None
    """Further information shown on certificates (optional element)."""
    courses: list[Course] = Field(min_length=1)

    @field_validator("eqf_level")
    @classmethod
    def _eqf_range(cls, value: int) -> int:
        if not 5 <= value <= 8:
            raise invalid(
                "eqf_level", "Una Europa micro-credentials are at EQF level 5 to 8 (framework §3.2.1), not {value}", value=value,
            )
        return value

    @property
    def mandatory_ects(self) -> Decimal:
        """ECTS of the courses every learner must take."""
        return sum((c.ects for c in self.courses if c.mandatory), Decimal(0))

    @property
    def course_ects(self) -> Decimal:
        """ECTS of all courses on offer."""
        return sum((c.ects for c in self.courses), Decimal(0))
