"""Pure name handling: no ORM, no web, no other jaga package.

`basic_form` is the registry's stored `name_normalised` form. `jaga.names.indonesian` adds the keys
linkage matches on: spelling-canonical tokens, an Indonesian phonetic key and parsed names (titles,
degrees, bin/binti, newborn placeholders, common tokens). `jaga.names.organisations` reads the names of
foundations, clinics and hospitals (abbreviations such as "Yay.", "RSIA", "PMB") for the licence search.
"""

from jaga.names.indonesian import (
    STEPS,
    ParsedName,
    canonical_token,
    is_common_token,
    parse_name,
    phonetic_key,
    step_enabled,
    without_steps,
)
from jaga.names.normalise import basic_form
from jaga.names.organisations import ORGANISATION_ABBREVIATIONS, organisation_tokens

__all__ = [
    "ORGANISATION_ABBREVIATIONS",
    "STEPS",
    "ParsedName",
    "basic_form",
    "canonical_token",
    "is_common_token",
    "organisation_tokens",
    "parse_name",
    "phonetic_key",
    "step_enabled",
    "without_steps",
]
