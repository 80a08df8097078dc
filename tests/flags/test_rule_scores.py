"""How record rules rank against each other and the aggregate detectors: a pattern that legitimate
cases also show ranks low alone; a missing child turning up in care ranks above every single-record
pattern of the adoption steps. Statistically flagged entities score 0.6 to 1, rings 0.85 to 1."""

from __future__ import annotations

from datetime import date

from jaga.flags.stats import score_of
from tests.factories.flags import SEMARANG, Rows
from tests.flags.conftest import Detect

STATS_FLOOR = score_of(2.0, 0.01)  # the weakest entity the statistics can flag
PLACEMENT_CEILING = 0.95  # placement_before_court_ruling: 0.6 + 0.2 no case + 0.15 over 180 days


def test_a_late_registration_then_relinquishment_alone_ranks_below_any_statistical_flag(
    rows: Rows, detect: Detect
) -> None:
    mother = rows.mother(date(1995, 1, 1))
    birth = rows.birth(mother, date(2024, 1, 1), registered_on=date(2024, 4, 1))
    child = rows.session.get(type(mother), birth.child_id)
    assert child is not None
    rows.relinquishment(mother, child, date(2024, 3, 25))  # before the registration: the strongest form
    [flag] = detect("late_registration_then_relinquishment")
    assert flag.evidence["days_after_registration"] < 0
    assert flag.score < STATS_FLOOR


def test_an_impossible_birth_interval_alone_ranks_below_any_statistical_flag_but_above_an_implausible_one(
    rows: Rows, detect: Detect
) -> None:
    impossible = rows.mother(date(1995, 1, 1))
    rows.birth(impossible, date(2024, 1, 1))
    rows.birth(impossible, date(2024, 5, 1))  # 121 days
    implausible = rows.mother(date(1995, 1, 1))
    rows.birth(implausible, date(2024, 1, 1))
    rows.birth(implausible, date(2024, 8, 1))  # 213 days
    scores = sorted(f.score for f in detect("birth_interval_impossible"))
    assert len(scores) == 2
    assert scores[0] < scores[1] < STATS_FLOOR


def test_a_missing_child_turning_up_while_the_report_is_open_ranks_above_any_placement_flag(
    rows: Rows, detect: Detect
) -> None:
    reported = rows.person(nik="3374010101220001", source_kind="police")
    rows.missing(reported, date(2024, 1, 1))
    intake = rows.person(nik="3374010101220001", source_kind="institution")
    rows.placement(intake, "institution", date(2024, 3, 1), region_code=SEMARANG)
    [flag] = detect("missing_child_reappears")
    assert flag.evidence["other_province"] is False
    assert flag.score > PLACEMENT_CEILING


def test_a_missing_child_found_and_reported_closed_ranks_far_lower(rows: Rows, detect: Detect) -> None:
    reported = rows.person(nik="3374010101220002", source_kind="police")
    rows.missing(reported, date(2024, 1, 1), status="found")
    intake = rows.person(nik="3374010101220002", source_kind="institution")
    rows.placement(intake, "institution", date(2024, 3, 1), region_code=SEMARANG)
    [flag] = detect("missing_child_reappears")
    assert flag.score < STATS_FLOOR
