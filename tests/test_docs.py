"""docs/spec-format.md documents every field and every choice of the spec."""

from __future__ import annotations

import typing
from enum import Enum

import pytest
from pydantic import BaseModel

from tests.conftest import ROOT
from unadocs.model import Consortium
from unadocs.model.registry import members

SPEC_FORMAT = ROOT / "docs" / "spec-format.md"


def _models(model: type[BaseModel], found: dict[str, type[BaseModel]]) -> dict[str, type[BaseModel]]:
    found[model.__name__] = model
    for field in model.model_fields.values():
        for inner in _types(field.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel) and inner.__name__ not in found:
                _models(inner, found)
    return found


def _types(annotation: object) -> list[object]:
    return [annotation, *(t for arg in typing.get_args(annotation) for t in _types(arg))]


MODELS = _models(Consortium, {})
FIELDS = sorted({(m.__name__, name) for m in MODELS.values() for name in m.model_fields})
ENUMS = sorted({t for m in MODELS.values() for f in m.model_fields.values() for t in _types(f.annotation)
                if isinstance(t, type) and issubclass(t, Enum)}, key=lambda e: e.__name__)


@pytest.fixture(scope="module")
def doc() -> str:
    return SPEC_FORMAT.read_text(encoding="utf-8")


@pytest.mark.parametrize(("model", "field"), FIELDS)
def test_every_field_is_documented(model: str, field: str, doc: str) -> None:
    assert f"`{field}`" in doc, f"{model}.{field} is not in {SPEC_FORMAT.name}"


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_choice_is_documented(enum: type[Enum], doc: str) -> None:
    missing = [member.value for member in enum if f"`{member.value}`" not in doc]
    assert missing == [], f"{enum.__name__} values {missing} are not in {SPEC_FORMAT.name}"


def test_every_registry_member_is_documented(doc: str) -> None:
    for code, member in members().items():
        assert f"| `{code}` | {member.name} | {member.country} |" in doc


def test_every_advisory_code_is_documented(doc: str) -> None:
    from tests.test_checks import ALL_CODES

    assert [code for code in sorted(ALL_CODES) if f"| `{code}` |" not in doc] == []


def test_docs_link_to_files_that_exist(doc: str) -> None:
    for target in ("../examples/sustainability.yaml", "../unadocs/data/members.yaml"):
        assert f"]({target})" in doc
        assert (SPEC_FORMAT.parent / target).resolve().is_file()

