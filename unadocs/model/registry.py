"""The Una Europa member registry and each member's framework constraints.

The facts live in ``unadocs/data/members.yaml`` so that they can be kept in
step with the framework's tables without touching code. A spec's partner
that gives ``member: helsinki`` inherits the member's names, country and city.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from unadocs.model.base import CountryCode, Money

__all__ = ["Member", "EctsRange", "CourseSize", "FeeCap", "ArbitrationLimit", "Constraint", "members", "member"]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _ConstraintBase(_Frozen):
    code: str
    """Stable advisory code, e.g. ``madrid-ects``."""
    section: str
    """The framework section the rule comes from."""
    note: str
    """The rule in words, quoted in the advisory."""


class EctsRange(_ConstraintBase):
    """Bounds on the credential's total ECTS."""

    kind: Literal["ects"]
    min: Decimal | None = None
    max: Decimal | None = None
    max_exclusive: bool = False
    preferred_max: Decimal | None = None


class CourseSize(_ConstraintBase):
    """The allowed size of a course the member provides, for stackable credentials."""

    kind: Literal["course_ects"]
    multiple_of: Decimal | None = None
    one_of: tuple[Decimal, ...] | None = None
    min: Decimal | None = None


class FeeCap(_ConstraintBase):
    """The highest fee per ECTS for courses the member provides."""

    kind: Literal["fee_cap"]
    per_ects: Money


class ArbitrationLimit(_ConstraintBase):
    """The member is a public body that may agree to arbitration only where its law allows it."""

    kind: Literal["arbitration"]


Constraint = Annotated[EctsRange | CourseSize | FeeCap | ArbitrationLimit, Field(discriminator="kind")]


class Member(_Frozen):
    """A member university of Una Europa, as the registry knows it."""

    code: str
    name: str
    """Official name in English."""
    native_name: str
    """Official name in the university's own language."""
    country: CountryCode
    city: str
    constraints: tuple[Constraint, ...] = ()


@lru_cache(maxsize=1)
def members() -> dict[str, Member]:
    """Every member of the alliance, by registry code."""
    import yaml

    text = resources.files("unadocs").joinpath("data/members.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    adapter = TypeAdapter(dict[str, Member])
    return adapter.validate_python({code: {"code": code, **entry} for code, entry in raw.items()})


def member(code: str) -> Member:
    """The member with this registry code; ``KeyError`` when there is none."""
    return members()[code]
