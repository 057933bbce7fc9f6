"""The JSON Schema of a spec, so that editors can validate and complete YAML."""

from __future__ import annotations

from typing import Any

from unadocs.model import Consortium

__all__ = ["spec_schema"]

SCHEMA_ID = "https://una-europa.eu/unadocs/spec.schema.json"


def spec_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a consortium spec."""
    schema = Consortium.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "Una Europa joint micro-credential consortium spec", **schema}
