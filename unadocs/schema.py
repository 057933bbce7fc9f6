"""The JSON Schema of a spec, so that editors can validate and complete YAML."""

from __future__ import annotations

from typing import Any

from unadocs.model import Consortium

__all__ = ["spec_schema"]

SCHEMA_ID = "https://una-europa.eu/unadocs/spec.schema.json"


def spec_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a consortium spec."""
    schema = Consortium.model_json_schema(mode="validation")
    _member_or_name_and_country(schema["$defs"]["Partner"])
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "Una Europa joint micro-credential consortium spec", **schema}


def _member_or_name_and_country(partner: dict[str, Any]) -> None:
    # A member inherits its name and country from the registry, so pydantic's
    # "required" (true of the model after inheritance) is wrong for the YAML:
    # only a partner without `member:` must give them.
    from unadocs.model.registry import members

    inherited = ("name", "country")
    partner["required"] = [field for field in partner["required"] if field not in inherited]
    partner["anyOf"] = [
        {"required": ["member"], "properties": {"member": {"type": "string"}}},
        {"required": list(inherited)},
    ]
    partner["properties"]["member"]["anyOf"][0]["enum"] = sorted(members())
