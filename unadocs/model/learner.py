"""A learner who has earned the micro-credential: one row of the learner list."""

from __future__ import annotations

import unicodedata
from datetime import date

from typing import Any, Self

from pydantic import EmailStr, ValidationError, ValidationInfo, field_validator

from unadocs.errors import LearnerError
from unadocs.model.base import Day, SpecModel, Text, invalid

__all__ = ["Learner", "MAX_ID_LENGTH", "MAX_NAME_LENGTH", "learner_reason"]

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
    issued: Day
    """Date of issuing (mandatory element 5); must fall within the agreement's term."""
    date_of_birth: Day | None = None
    email: EmailStr | None = None
    """Used only to deliver the certificate; never printed or embedded."""
    grade: str | None = None
    """Grade achieved (optional element)."""
    name_latin: str | None = None
    """The name in Latin letters as the passport spells it, printed beside a name written in another script."""

    @field_validator("given_names", "family_name", "learner_id", "grade", "name_latin", mode="before")
    @classmethod
    def _nfc(cls, value: object) -> object:
        return unicodedata.normalize("NFC", value) if isinstance(value, str) else value

    @field_validator("given_names", "family_name", "learner_id", "name_latin")
    @classmethod
    def _printable_length(cls, value: str | None, info: ValidationInfo) -> str | None:
        limit = {"learner_id": MAX_ID_LENGTH, "name_latin": 2 * MAX_NAME_LENGTH + 1}.get(info.field_name or "",
                                                                                        MAX_NAME_LENGTH)
        if value is not None and len(value) > limit:
            raise invalid("too_long", "is {length} characters long; a certificate prints at most {limit}",
                          length=len(value), limit=limit)
        return value

    @field_validator("given_names", "family_name", "learner_id", "grade", "name_latin")
    @classmethod
    def _printable(cls, value: str | None, info: ValidationInfo) -> str | None:
        # What a certificate prints must be what its embedded record and seal say: a control character
        # would be dropped or shown as a box in print, but kept in the record. A grade may run over lines.
        allowed = "\t\n\r" if info.field_name == "grade" else ""
        for char in value or "":
            category = unicodedata.category(char)
            if category in ("Cc", "Cs", "Zl", "Zp") and char not in allowed:  # Zl, Zp: line and paragraph
                # separators would break a printed line where the record has none
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

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise LearnerError(learner_reason(exc), learner_id=_id_of(data)) from None

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        """A learner from a row's data; :class:`~unadocs.errors.LearnerError` with every problem of the row."""
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise LearnerError(learner_reason(exc), learner_id=_id_of(obj)) from None

    @field_validator("name_latin")
    @classmethod
    def _latin(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or not value.strip():
            return None
        name = f"{info.data.get('given_names', '')} {info.data.get('family_name', '')}"
        if " ".join(value.split()).casefold() == " ".join(name.split()).casefold():
            return None  # the name again (an export that fills the column for everyone): not printed beside it
        from fontTools import unicodedata as ucd

        other = sorted({str(ucd.script(c)) for c in value} - {"Latn", "Zyyy", "Zinh"})
        if other:
            raise invalid("name_latin", "is the passport spelling of the name in Latin letters, but has letters of "
                          "another script ({scripts})", scripts=", ".join(other))
        return value

    @property
    def full_name(self) -> str:
        """Given names then family name, NFC-normalised."""
        return unicodedata.normalize("NFC", f"{self.given_names} {self.family_name}")


_DATE_FIELDS = ("issued", "date_of_birth")


def _id_of(data: object) -> str | None:
    value = data.get("learner_id") if isinstance(data, dict) else None
    return value.strip() or None if isinstance(value, str) else None


def learner_reason(exc: ValidationError) -> str:
    """A learner's validation errors in one line, each with its field (as ``unadocs certificates`` prints them)."""
    parts = []
    for err in exc.errors(include_url=False):
        field = ".".join(str(p) for p in err["loc"]) or "row"
        if err["type"] == "missing":
            parts.append(f"{field} is missing")
        elif field in _DATE_FIELDS and err["type"].startswith("date"):
            parts.append(f"{field} {err.get('input')!r} is not a date (write YYYY-MM-DD or DD.MM.YYYY)")
        else:
            parts.append(f"{field}: {err['msg']}")
    return "; ".join(parts)
