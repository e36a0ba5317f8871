"""Describe a service's API fields from one glossary instead of repeating each meaning on every
model that has the field.

    GLOSSARY = {"tenancy_ref": "UH tenancy agreement reference, e.g. `012345/01`."}

    class ApiModel(BaseModel):
        model_config = ConfigDict(json_schema_extra=describe_from(GLOSSARY))

Every property of the model's JSON schema (and so of the OpenAPI document) that has no
description of its own gets the glossary's meaning for its name. A field whose name means
something else in one model keeps the `Field(description=...)` it is given there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def describe_from(glossary: Mapping[str, str]) -> Callable[[dict[str, Any]], None]:
    """A pydantic `json_schema_extra` hook filling undescribed properties from `glossary`."""

    def describe(schema: dict[str, Any]) -> None:
        for name, field in schema.get("properties", {}).items():
            if "description" not in field and name in glossary:
                field["description"] = glossary[name]

    return describe
