"""Partners of a consortium: who they are, who coordinates and who signs."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import EmailStr, model_validator

from unadocs.model.base import invalid, CountryCode, PartnerId, SpecModel, Text
from unadocs.model.enums import PartnerRole
from unadocs.model.translated import TranslatedShortText

__all__ = ["Person", "Signatory", "OfficialIdentifier", "Partner"]


class Person(SpecModel):
    """A partner's coordinator for the micro-credential: the contact for notices."""

    name: Text
    email: EmailStr
    phone: str | None = None


class Signatory(SpecModel):
    """The person who signs the agreement for a partner."""

    name: Text
    title: TranslatedShortText
    """Their function, e.g. Rector; certificates print it in each of their languages it is given in."""


class OfficialIdentifier(SpecModel):
    """The number under which a public register identifies a legal person (enterprise, VAT or business number).

    Identifiers are never inherited from the registry: each Party gives its own,
    as it appears in its register.
    """

    scheme: Text
    """The register or kind of number, as the agreement names it: "VAT number", "enterprise number", "Business ID"."""
    value: Text
    """The number as the register writes it, e.g. "0419.052.173"."""

    def __str__(self) -> str:
        return f"{self.scheme} {self.value}"


class Partner(SpecModel):
    """A university or organisation that is party to the agreement.

    A member of the alliance may give only ``member:``; its names, country and
    city then come from :mod:`unadocs.model.registry`, and any field given here
    overrides the registry. A partner without ``member:`` is an associated
    (non-member) partner and must give its name and country.
    """

    id: PartnerId
    """Short id used everywhere else in the spec (``UH``)."""
    member: str | None = None
    """Una Europa registry code (``helsinki``); absent for a non-member."""
    name: Text
    """Official name in English."""
    native_name: str | None = None
    """Official name in the partner's own language."""
    country: CountryCode
    """ISO 3166 country code."""
    city: str | None = None
    legal_form: str | None = None
    """E.g. "public university"; shown in the parties clause (a placeholder while it is missing)."""
    address: str | None = None
    """Registered address (registered office); shown in the parties clause and Annex 2."""
    identifier: OfficialIdentifier | None = None
    """Official identifier (enterprise, VAT or other register number); shown in the parties clause and Annex 2."""
    notice_address: str | None = None
    """Postal address for formal notices (withdrawal, breach, termination); by default the registered address."""
    eidas_identifier: str | None = None
    """eIDAS legal identifier, for European Digital Credentials."""
    role: PartnerRole = PartnerRole.PARTNER
    coordinator: Person
    signatory: Signatory

    @model_validator(mode="before")
    @classmethod
    def _inherit_from_registry(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("member") is None:
            return data
        from unadocs.model.registry import members

        code = data["member"]
        registry = members()
        if not isinstance(code, str) or code not in registry:
            close = difflib.get_close_matches(str(code), registry, n=1) or _members_named(str(code), registry)
            hint = f"; did you mean {close[0]!r}?" if close else f"; the members are {', '.join(sorted(registry))}"
            raise invalid("unknown_member", "unknown Una Europa member {code!r}" + hint, code=code)
        entry = registry[code]
        inherited = {
            "name": entry.name,
            "native_name": entry.native_name,
            "country": entry.country,
            "city": entry.city,
        }
        return {**inherited, **{k: v for k, v in data.items() if v is not None}}

    @property
    def is_member(self) -> bool:
        """Whether the partner is a member university of Una Europa."""
        return self.member is not None

    @property
    def is_lead(self) -> bool:
        return self.role is PartnerRole.LEAD

    @property
    def address_for_notices(self) -> str | None:
        """Where formal notices go: the notice address, or else the registered address."""
        return self.notice_address or self.address

    @property
    def missing_details(self) -> list[str]:
        """The identifying details the parties clause needs and the spec does not give, by field name."""
        return [name for name in ("legal_form", "address", "identifier") if not getattr(self, name)]


def _members_named(text: str, registry: dict[str, Any]) -> list[str]:
    """The registry codes of the members whose name, native name or city holds ``text`` (``complutense``)."""
    word = text.strip().casefold()
    if len(word) < 3:
        return []
    return [code for code, entry in sorted(registry.items())
            if any(word in str(value or "").casefold() for value in (entry.name, entry.native_name, entry.city))]
