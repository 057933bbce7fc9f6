"""A learner who has earned the micro-credential: one row of the learner list."""

from __future__ import annotations

import unicodedata
from datetime import date

from pydantic import EmailStr, ValidationInfo, field_validator

from unadocs.model.base import SpecModel, Text, invalid

__all__ = ["Learner", "MAX_ID_LENGTH", "MAX_NAME_LENGTH"]

#: Longest given names or family name a certificate prints (the name box fits two such parts in small type).
MAX_NAME_LENGTH = 120
#: Longest learner id a certificate prints.
MAX_ID_LENGTH = 60
#: The invisible characters a name may hold: zero width non-joiner and joiner shape Persian, Indic and emoji text.
_JOINERS = "\u200c\u200d"


class Learner(SpecModel):
    """One successful learner, as the host institution's export gives them.

    Names are NFC-normalised on the way in, so that "Zoë" typed with a
    combining diaeresis and "Zoë" typed precomposed are the same name on the
    certificate and in the signed payload.
    """

    learner_id: Text
    """The host institution's id of the learner; unique within one list."""
    given_names: Text
    family_name: Text
    issued: date
    """Date of issuing (mandatory element 5); must fall within the agreement's term."""
    date_of_birth: date | None = None
    email: EmailStr | None = None
    """Used only to deliver the certificate; never printed or embedded."""
    grade: str | None = None
    """Grade achieved (optional element)."""

    @field_validator("given_names", "family_name", "learner_id", "grade", mode="before")
    @classmethod
    def _nfc(cls, value: object) -> object:
        return unicodedata.normalize("NFC", value) if isinstance(value, str) else value

    @field_validator("given_names", "family_name", "learner_id")
    @classmethod
    def _printable_length(cls, value: str, info: ValidationInfo) -> str:
        limit = MAX_ID_LENGTH if info.field_name == "learner_id" else MAX_NAME_LENGTH
        if len(value) > limit:
            raise invalid("too_long", "is {length} characters long; a certificate prints at most {limit}",
                          length=len(value), limit=limit)
        return value

    @field_validator("given_names", "family_name", "learner_id", "grade")
    @classmethod
    def _printable(cls, value: str | None, info: ValidationInfo) -> str | None:
        # What a certificate prints must be what its embedded record and seal say: a control character
        # would be dropped or shown as a box in print, but kept in the record. A grade may run over lines.
        allowed = "\t\n\r" if info.field_name == "grade" else ""
        for char in value or "":
            category = unicodedata.category(char)
            if category in ("Cc", "Cs") and char not in allowed:
                raise invalid("control_character", "contains a control character (U+{code:04X}), which a "
                              "certificate cannot print", code=ord(char))
            if category == "Cf" and char not in _JOINERS:
                # An invisible format character: a direction override or isolate (U+202A-U+202E, U+2066-U+2069)
                # makes "Alice \u202eredloH" print as "Alice Holder"; others hide text. Arabic and Hebrew names
                # need none of them: their direction comes from their letters.
                raise invalid("format_character", "contains an invisible formatting character (U+{code:04X} "
                              "{name}), which can make what is printed read differently from what is sealed",
                              code=ord(char), name=unicodedata.name(char, "FORMAT CHARACTER"))
        return value

    @property
    def full_name(self) -> str:
        """Given names then family name, NFC-normalised."""
        return unicodedata.normalize("NFC", f"{self.given_names} {self.family_name}")
