"""Describing API fields from a glossary."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ma_shared.glossary import describe_from

GLOSSARY = {"tenancy_ref": "The tenancy.", "balance": "What is owed."}


class Described(BaseModel):
    model_config = ConfigDict(json_schema_extra=describe_from(GLOSSARY))

    tenancy_ref: str
    balance: int = Field(description="Owed on the day of the hearing.")
    unknown: str | None = None


class Child(Described):
    payment_ref: str


def test_undescribed_fields_take_the_glossarys_meaning() -> None:
    properties = Described.model_json_schema()["properties"]

    assert properties["tenancy_ref"]["description"] == "The tenancy."


def test_a_models_own_description_wins_and_unknown_names_stay_undescribed() -> None:
    properties = Described.model_json_schema()["properties"]

    assert properties["balance"]["description"] == "Owed on the day of the hearing."
    assert "description" not in properties["unknown"]


def test_subclasses_inherit_the_hook() -> None:
    properties = Child.model_json_schema()["properties"]

    assert properties["tenancy_ref"]["description"] == "The tenancy."
    assert "description" not in properties["payment_ref"]
