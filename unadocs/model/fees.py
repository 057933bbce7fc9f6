"""Who collects which part of a fee, under each financial model (framework §3.4.3).

A fee is set for the whole micro-credential. Under the centralised model the
collecting partner collects all of it. Under the decentralised model each
partner collects, for each of its courses a learner takes, the part of the
fee in proportion to the course's ECTS credits. The mixed model does both:
the collecting partner collects the fee's ``joint_part`` for the joint
activities, and the rest is split over the courses as in the decentralised
model. Amounts are exact decimals rounded to the cent, half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from unadocs.model.base import Money
from unadocs.model.credential import Course

__all__ = ["CoursePart", "FeeSplit", "CENT"]

CENT = Decimal("0.01")


@dataclass(frozen=True)
class CoursePart:
    """What a learner pays the course's provider for one course."""

    course: Course
    amount: Money


@dataclass(frozen=True)
class FeeSplit:
    """One fee divided between the collecting partner and the courses' providers."""

    amount: Money
    """The fee for the whole micro-credential."""
    collector: str | None
    """The partner that collects the central part (the collecting partner), if any."""
    collected_centrally: Money
    """What the collecting partner collects for the whole micro-credential (or the joint activities)."""
    per_ects: Decimal
    """What each ECTS credit of a course costs, when courses are paid for one by one (else 0)."""
    courses: tuple[CoursePart, ...]
    """The price of each course, when courses are paid for one by one (else empty)."""

    @property
    def per_ects_amount(self) -> Money:
        """:attr:`per_ects` as an amount in the fee's currency, rounded to the cent."""
        return Money(self.per_ects.quantize(CENT, ROUND_HALF_UP), self.amount.currency)

    def percent(self, share: Decimal) -> Money:
        """A percentage of the whole fee, rounded to the cent (a Party's share, before common costs)."""
        return Money((self.amount.amount * share / 100).quantize(CENT, ROUND_HALF_UP), self.amount.currency)

    def courses_of(self, partner_id: str) -> list[CoursePart]:
        """The course prices that a partner collects."""
        return [part for part in self.courses if part.course.provider == partner_id]

    def most_collected_by(self, partner_id: str) -> Money:
        """What a partner collects from one learner who takes all its courses, with the central part if it
        collects that."""
        total = sum((part.amount.amount for part in self.courses_of(partner_id)), Decimal(0))
        if partner_id == self.collector:
            total += self.collected_centrally.amount
        return Money(total, self.amount.currency)


def split_fee(amount: Money, collector: str | None, joint_part: Money | None, courses: list[Course], ects: Decimal,
              by_course: bool) -> FeeSplit:
    """Divide a fee: the part ``collector`` collects centrally, and (``by_course``) each course's price pro rata
    of its ECTS credits."""
    if not by_course:
        return FeeSplit(amount, collector, amount, Decimal(0), ())
    central = joint_part.amount if joint_part is not None else Decimal(0)
    per_ects = (amount.amount - central) / ects
    parts = tuple(CoursePart(c, Money((per_ects * c.ects).quantize(CENT, ROUND_HALF_UP), amount.currency))
                  for c in courses)
    return FeeSplit(amount, collector, Money(central, amount.currency), per_ects, parts)
