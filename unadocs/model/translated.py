"""Texts of the spec given in several languages: ``title: {en: …, fi: …}``, or a plain string.

A :class:`Translated` is the text in the consortium's primary language (the
first of ``certificate.languages``), so every view that prints one language
(the agreement, metadata, the seal) reads it as the plain string it always
was, and it carries the texts given in the other languages in
:attr:`~Translated.texts`. A plain string in a spec means the primary
language. Which language is primary is known only to the whole spec:
:func:`primary_language` holds it while a :class:`~unadocs.model.Consortium`
is validated.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from unadocs.model.base import _language, invalid

__all__ = ["CERTIFICATE_LANGUAGES", "DEFAULT_LANGUAGE", "Translated", "TranslatedText", "TranslatedShortText", "primary_language",
           "validating_in"]

#: The primary language of a certificate that names none.
DEFAULT_LANGUAGE = "en"
#: The languages unadocs has certificate wording in (a catalog each in ``locale/``; a test keeps the two alike).
CERTIFICATE_LANGUAGES = ("en", "de", "es", "fi", "fr", "it", "nl", "pl", "sv")
_PRIMARY: ContextVar[str] = ContextVar("unadocs_primary_language", default=DEFAULT_LANGUAGE)


def primary_language() -> str:
    """The primary language of the spec being validated (``en`` outside one; empty while the spec's is not a
    language code, so that the one error is at certificate.languages rather than at every text given per language)."""
    return _PRIMARY.get()


@contextmanager
def validating_in(language: str) -> Iterator[None]:
    """Validate with ``language`` as the primary language: a plain string means it, a mapping must give it."""
    token = _PRIMARY.set(language)
    try:
        yield
    finally:
        _PRIMARY.reset(token)


class Translated(str):
    """A text in the primary language (the string itself) and its translations (:attr:`texts`)."""

    __slots__ = ("texts",)
    texts: Mapping[str, str]
    """Every language the spec gives the text in, the primary one included; empty for a plain string."""

    def __new__(cls, primary: str, texts: Mapping[str, str] | None = None) -> Translated:
        self = super().__new__(cls, primary)
        self.texts = dict(texts or {})
        return self

    def in_language(self, language: str) -> str | None:
        """The text given in ``language``, or None (a plain string is given in the primary language only)."""
        return self.texts.get(language)

    def __reduce__(self) -> tuple[Any, ...]:  # picklable, for worker processes
        return (Translated, (str(self), self.texts))

    @classmethod
    def parse(cls, value: Any, limit: int | None = None) -> Translated:
        """A plain string or a mapping of ISO 639-1 codes to texts, which must give the primary language."""
        if isinstance(value, Translated):
            return value
        if isinstance(value, str):
            return cls(_text(value, limit))
        if not isinstance(value, Mapping) or not value:
            raise invalid("translated", "write a text, or a text per language such as {{en: ..., fi: ...}}")
        texts: dict[str, str] = {}
        for code, text in value.items():
            language = _language(code) if isinstance(code, str) else code
            if not isinstance(language, str):
                raise invalid("translated", "{code!r} is not a language code", code=code)
            if not isinstance(text, str):
                raise invalid("translated", "the text in {code} must be a string", code=language)
            if language in texts:
                raise invalid("translated", "gives the text in {code} twice", code=language)
            texts[language] = _text(text, limit, language)
        primary = primary_language()
        if primary and primary not in texts:
            raise invalid("translated", "gives no text in {primary}, the certificate's primary language (the first "
                          "of certificate.languages); give it, or write the text as a plain string",
                          primary=primary)
        return cls(texts.get(primary) or next(iter(texts.values())), dict(sorted(texts.items())))

    def serialise(self) -> str | dict[str, str]:
        return dict(self.texts) if self.texts else str(self)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(lambda v: v.serialise()))

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
                                     ) -> JsonSchemaValue:
        return {"anyOf": [{"type": "string", "minLength": 1},
                          {"type": "object", "minProperties": 1,
                           "propertyNames": {"pattern": "^[a-z]{2}$"},
                           "additionalProperties": {"type": "string", "minLength": 1}}],
                "description": "A text in the primary language, or one per language (ISO 639-1), "
                               "e.g. {en: ..., fi: ...}."}


def _text(value: str, limit: int | None, language: str | None = None) -> str:
    text = value.strip()
    where = f" in {language}" if language else ""
    if not text:
        raise invalid("empty", "the text{where} must not be empty", where=where)
    if limit is not None and len(text) > limit:
        raise invalid("too_long", "the text{where} is {length} characters long; at most {limit} fit a title line, "
                      "a page header and the document's properties", where=where, length=len(text), limit=limit)
    return text


class _Short:
    """A translated title: at most 200 characters in every language (Word's limit for document properties)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            lambda value: Translated.parse(value, 200),
            serialization=core_schema.plain_serializer_function_ser_schema(lambda v: v.serialise()))

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
                                     ) -> JsonSchemaValue:
        return Translated.__get_pydantic_json_schema__(schema, handler)


#: A free text of the spec that certificates print, in one language or several.
TranslatedText = Translated
#: A title: as :data:`TranslatedText`, at most 200 characters in each language.
TranslatedShortText = Annotated[Translated, _Short]
