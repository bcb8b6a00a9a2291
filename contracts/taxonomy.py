"""The category taxonomy (a data file with a schema), shared by intake's form and the router's rules."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

TAXONOMY_FILE = Path(__file__).parent / "data" / "categories.yaml"


class CategoryDef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[a-z]+(?:-[a-z]+)*(?:\.[a-z]+(?:-[a-z]+)*)+$")
    nl: str
    en: str
    help: list[str] = Field(default_factory=list)


class HelpOrganisation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nl: str
    en: str


class Taxonomy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    categories: list[CategoryDef]
    help_organisations: dict[str, HelpOrganisation]

    def codes(self) -> list[str]:
        return [c.code for c in self.categories]

    def get(self, code: str | None) -> CategoryDef | None:
        return next((c for c in self.categories if c.code == code), None)


@cache
def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    taxonomy = Taxonomy.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    unknown = {h for c in taxonomy.categories for h in c.help} - set(taxonomy.help_organisations)
    if unknown:
        raise ValueError(f"categories refer to unknown help organisations: {sorted(unknown)}")
    return taxonomy
