"""A small synthetic province, imported, linked and flagged: the planted clinic ring is found by the
statistics and as a ring, the look-alikes are not flagged, and `jaga flags evaluate` says so. The
province's tips (its ring reported several times, and tips about nothing planted) arrive through the
public path between a first flag run and a second: the evaluation reports `tip_corroborates` like any
kind, and its figures without tips are those of the first run."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from jaga.db import create_engine_for
from jaga.demo.tips import send_tips
from jaga.errors import InvalidInput
from jaga.flags.evaluate import (
    StoredFlag,
    evaluate,
    evaluate_database,
    latest_flags,
    rank_subjects,
    read_truth,
)
from jaga.flags.runs import run_flags
from jaga.linkage.runs import run_linkage
from jaga.synth.generator import synthesise
from jaga.synth.isolation import guard_truth
from jaga.synth.output import tips_file
from jaga.synth.scenario import Scenario
from tests.cli_helpers import jaga
from tests.conftest import DIALECTS, FAST_HASHER, PreparedDatabase, _require
from tests.synthetic_registry import imported_registry

AS_OF = date(2026, 1, 1)


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("flags-province") / "synth"
    scenario = Scenario.model_validate(
        {
            "name": "flags-province",
            "province": "33",
            "schemes": {"clinic_ring": {"babies": [25, 30]}},
            "lookalikes": {"referral_hospitals": 1, "late_registration_regions": 1},
            # The ring reported by six tips that all try to name it (half the forms people type match
            # nothing), and tips about innocent places and about nothing.
            "tips": {
                "ring_tipped": 1,
                "institution_tipped": 1,
                "per_tipped_scheme": [6, 6],
                "names_entity": 1,
                "innocent_per_10k_births": 40,
                "vague_per_10k_births": 40,
            },
        }
    )
    synthesise(births=2500, seed=11, out=folder, scenario=scenario)
    return folder


BEFORE_TIPS: dict[str, list[StoredFlag]] = {}  # dialect -> the flags of the run before the tips


@pytest.fixture(scope="module", params=DIALECTS)
def flagged(
    request: pytest.FixtureRequest,
    _databases: dict[str, PreparedDatabase | str],
    province: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """The URL of a database holding the province, linked and flagged (under guard_truth), flagged again
    after its tips arrived through the public path."""
    database = _require(_databases, request.param)

    def link_and_flag(sessions: sessionmaker[Session]) -> None:
        with guard_truth():
            run_linkage(sessions)
            run_flags(sessions, today=AS_OF)
        with sessions() as session:
            BEFORE_TIPS[database.dialect] = latest_flags(session)[1]
        path = tips_file(province)
        assert path is not None
        with guard_truth():
            send_tips(sessions, path, FAST_HASHER)
            run_flags(sessions, today=AS_OF)

    with imported_registry(database, province, tmp_path_factory, then=link_and_flag) as url:
        yield url


@pytest.fixture
def session(flagged: str) -> Iterator[Session]:
    engine = create_engine_for(flagged)
    with sessionmaker(engine)() as opened:
        yield opened
    engine.dispose()


def _ring(province: Path) -> dict[str, set[str]]:
    truth = read_truth(province)
    [ring] = [s for s, kind in truth.schemes.items() if kind == "clinic_ring"]
    return {"members": truth.members[ring], "cases": truth.case_records[ring], "id": {ring}}


def test_the_planted_clinic_and_its_midwives_stand_out_from_their_peers(
    session: Session, province: Path
) -> None:
    ring = _ring(province)
    _run, flags = latest_flags(session)
    stats = [f for f in flags if f.kind in ("facility_relinquishment_rate", "attendant_relinquishment_rate")]
    facility = [f for f in stats if f.subject_type == "facility"]
    assert facility and all(f.subject_ref in ring["members"] for f in facility)
    assert any(f.subject_type == "attendant" and f.subject_ref in ring["members"] for f in stats)
    evidence = facility[0].evidence
    assert evidence["rate_ratio"] > 10 and evidence["shrunk_rate_ratio"] >= 4 and float(evidence["q"]) < 0.01


def test_the_planted_clinic_ring_is_found_as_one_ring(session: Session, province: Path) -> None:
    ring = _ring(province)
    _run, flags = latest_flags(session)
    rings = [f for f in flags if f.kind == "network_ring"]  # (tip_corroborates may raise it too)
    best = max(rings, key=lambda f: len(ring["cases"] & set(f.records)))
    assert len(ring["cases"] & set(best.records)) >= 0.5 * len(ring["cases"])
    central = {actor["node"] for actor in best.evidence["central_actors"]}
    assert central & ring["members"]  # the clinic or its midwives are named as central actors
    assert best.subject_ref.startswith("ring-")


def test_no_flag_falls_on_a_benign_lookalike(session: Session, province: Path) -> None:
    evaluation = evaluate_database(session, province, budget=50)
    assert evaluation.lookalikes >= 2
    assert evaluation.lookalike_flags == []


def test_evaluation_credits_the_ring_within_the_budget(session: Session, province: Path) -> None:
    evaluation = evaluate_database(session, province, budget=50)
    assert evaluation.by_type["clinic_ring"]["found"] == 1
    assert evaluation.by_type["clinic_ring"]["rings_covered"] == 1
    assert 0 < evaluation.precision <= 1 and len(evaluation.reviewed) <= 50


def test_jaga_flags_evaluate_prints_the_table_and_json(flagged: str, province: Path) -> None:
    table = jaga(flagged, "flags", "evaluate", "--truth", str(province), "--budget", "20")
    assert table.exit_code == 0, table.output
    assert "per scheme type" in table.output and "clinic_ring" in table.output
    result = jaga(flagged, "flags", "evaluate", "--truth", str(province / "truth"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["budget"] == 50 and data["by_scheme_type"]["clinic_ring"]["found"] == 1
    assert data["lookalike_false_alarms"] == []


def test_a_folder_without_truth_is_refused(flagged: str, tmp_path: Path) -> None:
    result = jaga(flagged, "flags", "evaluate", "--truth", str(tmp_path))
    assert result.exit_code == 3
    with pytest.raises(InvalidInput, match="holds no synthetic ground truth"):
        read_truth(tmp_path)


def test_subjects_are_ranked_by_their_best_flag_and_hits_need_planted_records(province: Path) -> None:
    truth = read_truth(province)
    ring = _ring(province)
    planted = sorted(ring["cases"])[:4]
    flags = [
        StoredFlag("a", "birth", "B-NOT-PLANTED", 0.9, ("B-NOT-PLANTED",), {}),
        StoredFlag("b", "network", "ring-x", 0.8, (*planted, "B-NOT-PLANTED"), {}),
        StoredFlag("c", "network", "ring-y", 0.95, ("B-NOT-PLANTED", "B-OTHER", planted[0]), {}),
    ]
    evaluation = evaluate(flags, truth, budget=2)
    assert [s.subject_ref for s in evaluation.reviewed] == ["ring-y", "B-NOT-PLANTED"]
    assert evaluation.precision == 0  # one planted record of three is not a hit
    assert evaluate(flags, truth, budget=3).precision == pytest.approx(1 / 3)
    with pytest.raises(InvalidInput):
        evaluate(flags, truth, budget=0)


def test_tips_naming_the_ring_raise_it_and_the_evaluation_reports_the_rule(
    session: Session, province: Path
) -> None:
    ring = _ring(province)
    _run, flags = latest_flags(session)
    raised = [f for f in flags if f.kind == "tip_corroborates"]
    assert raised and all(f.evidence["tips"] >= 1 for f in raised)
    assert {f.subject_ref for f in raised} & ring["members"]  # the clinic or its midwives, named by tips
    [network] = [f for f in raised if f.subject_type == "network"]  # and the ring they are central to
    assert {m["named"] for m in network.evidence["matches"]} <= ring["members"]
    evaluation = evaluate_database(session, province, budget=50)
    kind = evaluation.per_kind["tip_corroborates"]
    assert kind["subjects"] == len(raised) and 1 <= kind["hits"] <= kind["subjects"]
    tips = evaluation.tips
    assert tips["tip_flags"] == tips["raised_subjects"] == len(raised)
    assert tips["raised_hits"] == kind["hits"]
    for moved in tips["raised"]:  # a tip only ever raises a subject
        assert moved["rank_with"] <= moved["rank_without"]


def test_the_figures_without_tips_are_those_of_the_run_before_the_tips(
    flagged: str, session: Session, province: Path
) -> None:
    before = BEFORE_TIPS[session.get_bind().dialect.name]
    assert not [f for f in before if f.kind == "tip_corroborates"]
    _run, after = latest_flags(session)
    without = [f for f in after if f.kind != "tip_corroborates"]
    assert [(s.subject_ref, s.score) for s in rank_subjects(without)] == [
        (s.subject_ref, s.score) for s in rank_subjects(before)
    ]
    truth = read_truth(province)
    for budget in (5, 20, 50):
        then, now = evaluate(before, truth, budget=budget), evaluate(after, truth, budget=budget)
        assert now.tips["without_tips"] == {
            "precision": round(then.precision, 4),
            "scheme_recall": round(then.recall, 4),
            "ring_recall": round(then.ring_recall, 4),
        }


def test_jaga_flags_evaluate_reports_tip_corroborates_like_the_other_kinds(
    flagged: str, province: Path
) -> None:
    table = jaga(flagged, "flags", "evaluate", "--truth", str(province), "--budget", "10")
    assert table.exit_code == 0, table.output
    assert "each flag kind" in table.output and "tip_corroborates" in table.output
    assert "what tips add" in table.output and "without tips" in table.output
    data = json.loads(jaga(flagged, "flags", "evaluate", "--truth", str(province), "--format", "json").output)
    assert data["per_flag_kind"]["tip_corroborates"]["subjects"] == data["tips"]["raised_subjects"] >= 1
    assert set(data["tips"]["without_tips"]) == {"precision", "scheme_recall", "ring_recall"}
