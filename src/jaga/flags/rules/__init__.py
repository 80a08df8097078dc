"""Record rules: each looks at single records (or a record and its immediate neighbours) and flags what
the law or biology rules out, with a precise bilingual explanation and the figures behind it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.flags.rules import adoption, births, identity, institutions, missing, relinquishments

Rule = Callable[[Frames, date], list[Candidate]]

# (kind, rule): each rule returns candidates of its one kind.
RULES: list[tuple[str, Rule]] = [
    ("nik_mismatch", identity.detect),
    ("mother_age_implausible", births.mother_age),
    ("birth_interval_impossible", births.birth_interval),
    ("registered_far_from_residence", births.far_from_residence),
    ("no_facility_statement", births.no_facility_statement),
    ("late_registration_then_relinquishment", births.late_then_relinquished),
    ("birth_to_adopting_mother", births.birth_to_adopting_mother),
    ("relinquishment_safeguards_missing", relinquishments.safeguards_missing),
    ("adoption_steps_out_of_order", adoption.steps_out_of_order),
    ("placement_before_court_ruling", adoption.placement_before_ruling),
    ("institution_unlicensed", institutions.unlicensed_intake),
    ("intercountry_steps_missing", adoption.intercountry_missing_steps),
    ("missing_child_reappears", missing.missing_reappears),
    ("missing_child_possible_match", missing.missing_possible_match),
]


def detect(frames: Frames, *, today: date) -> list[Candidate]:
    """Every record rule over the frames."""
    found: list[Candidate] = []
    for _name, rule in RULES:
        found.extend(rule(frames, today))
    return found
