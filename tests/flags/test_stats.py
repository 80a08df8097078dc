"""The statistical detectors on hand-built cases: peers, exact tests, Benjamini-Hochberg and shrinkage."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl
import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from jaga.flags.frames import load_frames
from jaga.flags.stats import compare_entities, detect
from jaga.flags.stats.peers import PeerLevel, bh_adjust, compare_with_peers
from jaga.registry.models import Birth, Facility, Person, Relinquishment

TODAY = date(2026, 3, 1)
CREATED = datetime(2026, 1, 1, tzinfo=UTC)
SEMARANG = "3374"
LEVELS = [PeerLevel("province", "province"), PeerLevel("national", "national")]
_serial = itertools.count(1)


def _table(*entities: tuple[str, int, int]) -> pl.DataFrame:
    """(name, cases, events) per entity, all peers of one another."""
    return pl.DataFrame(
        {
            "entity": [e[0] for e in entities],
            "n": [e[1] for e in entities],
            "x": [e[2] for e in entities],
            "province": ["33"] * len(entities),
            "national": ["clinic"] * len(entities),
        }
    )


PEERS = [(f"peer-{i}", 1000, 10) for i in range(8)]  # 1 % relinquished


def _row(result: pl.DataFrame, name: str) -> dict[str, object]:
    return result.filter(pl.col("entity") == name).row(0, named=True)


def test_a_facility_at_ten_times_its_peers_rate_stands_out_with_effect_sizes() -> None:
    result = compare_with_peers(_table(*PEERS, ("ring", 100, 10)), LEVELS)
    ring = _row(result, "ring")
    assert ring["peer_level"] == "province" and ring["peer_n"] == 8000 and ring["peer_x"] == 80
    assert 9 < ring["ratio"] < 11  # 10 % against 1 %
    assert ring["ci_low"] < ring["ratio"] < ring["ci_high"]
    assert ring["p"] < 1e-5
    assert 1 < ring["eb05"] < ring["shrunk_ratio"] < ring["ratio"]  # shrunk, but still far above


def test_a_large_lookalike_at_1_3_times_its_peers_is_not_far_above_after_shrinkage() -> None:
    result = compare_with_peers(_table(*PEERS, ("referral", 5000, 65)), LEVELS)
    referral = _row(result, "referral")
    assert 1.2 < referral["ratio"] < 1.4
    assert referral["shrunk_ratio"] < 1.5 and referral["eb05"] < 1.3


def test_a_tiny_facility_with_one_of_two_relinquished_is_shrunk_towards_its_peers() -> None:
    result = compare_with_peers(_table(*PEERS, ("tiny", 2, 1)), LEVELS)
    tiny = _row(result, "tiny")
    assert tiny["ratio"] > 40  # 50 % against 1 % on its face
    assert tiny["shrunk_ratio"] < 4 and tiny["eb05"] < 1


def test_one_ring_does_not_raise_the_bar_for_another() -> None:
    result = compare_with_peers(_table(*PEERS, ("ring-a", 60, 40), ("ring-b", 60, 12)), LEVELS)
    ring_b = _row(result, "ring-b")
    assert ring_b["peer_x"] == 80  # ring A (40 of 60) is left out of ring B's peers
    assert ring_b["ratio"] > 15


def test_peers_come_from_the_finest_region_with_enough_cases() -> None:
    table = pl.DataFrame(
        {
            "entity": ["a", "b", "c", "d", "e"],
            "n": [600, 600, 600, 600, 50],
            "x": [6, 6, 6, 6, 1],
            "regency": ["3374", "3374", "3374", "3374", "3321"],
            "province": ["33"] * 5,
        }
    )
    result = compare_with_peers(
        table, [PeerLevel("regency", "regency"), PeerLevel("province", "province")], min_peer_cases=500
    )
    levels = dict(zip(result["entity"], result["peer_level"], strict=True))
    assert levels == {"a": "regency", "b": "regency", "c": "regency", "d": "regency", "e": "province"}


def test_benjamini_hochberg_matches_the_step_up_definition() -> None:
    p = np.array([0.01, 0.04, 0.03, 0.005, 0.5])
    q = bh_adjust(p)
    # Sorted p: .005 .01 .03 .04 .5 -> p*m/rank: .025 .025 .05 .05 .5 (then a running minimum from the top)
    assert np.allclose(q, [0.025, 0.05, 0.05, 0.025, 0.5])
    assert np.all(q >= p)


def test_benjamini_hochberg_keeps_false_discoveries_near_the_level_on_pure_noise() -> None:
    rng = np.random.default_rng(7)
    p = rng.uniform(size=(200, 100))  # 200 runs of 100 true null hypotheses
    rejected = sum(int(np.any(bh_adjust(row) <= 0.05)) for row in p)
    assert rejected / 200 <= 0.1  # family-wise under the global null: about alpha


# --- the detector over a real database -------------------------------------------------------------


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as opened:
        yield opened


def _facility(session: Session, kind: str = "clinic") -> Facility:
    number = next(_serial)
    facility = Facility(
        ref=f"F-S{number:08d}",
        region_code=SEMARANG + "01",
        created_at=CREATED,
        name=f"Klinik Uji {number}",
        kind=kind,
        licence_number=f"LIC-S{number:08d}",
    )
    session.add(facility)
    session.flush()
    return facility


def _births(
    session: Session, facility: Facility, births: int, relinquished: int, *, homes: tuple[str, ...] = ()
) -> None:
    """`births` at `facility`, the first `relinquished` of them followed by a relinquishment; the first
    mothers live in `homes` (district codes, one per mother), the others in Semarang."""
    people, rows, given_up = [], [], []
    start = next(_serial) * 10_000
    for i in range(births):
        mother, child = start + 2 * i, start + 2 * i + 1
        for pid, born in ((mother, date(1995, 1, 1)), (child, date(2024, 1, 1))):
            people.append(
                {
                    "id": pid,
                    "ref": f"P-S{pid:010d}",
                    "region_code": SEMARANG,
                    "created_at": CREATED,
                    "source_kind": "facility",
                    "source_ref": facility.ref,
                    "full_name": "Uji",
                    "name_normalised": "uji",
                    "nationality": "IDN",
                    "sex": "F",
                    "birth_date": born,
                    "address_region_code": homes[i] if i < len(homes) else SEMARANG + "01",
                }
            )
        rows.append(
            {
                "ref": f"B-S{child:010d}",
                "region_code": SEMARANG,
                "created_at": CREATED,
                "child_id": child,
                "mother_id": mother,
                "facility_id": facility.id,
                "born_on": date(2024, 1, 1),
                "plurality": 1,
                "place_kind": "facility",
                "birth_evidence": "skl",
            }
        )
        if i < relinquished:
            given_up.append(
                {
                    "ref": f"R-S{child:010d}",
                    "region_code": SEMARANG,
                    "created_at": CREATED,
                    "mother_id": mother,
                    "child_id": child,
                    "occurred_on": date(2024, 1, 1) + timedelta(days=5),
                    "witnesses": "[]",
                }
            )
    session.execute(insert(Person), people)
    session.execute(insert(Birth), rows)
    if given_up:
        session.execute(insert(Relinquishment), given_up)
    session.flush()


def test_the_detector_flags_the_clinic_at_ten_times_its_peers_and_neither_lookalike(session: Session) -> None:
    for _ in range(6):
        _births(session, _facility(session), 200, 2)  # peers: 1 %
    ring, referral, tiny = _facility(session), _facility(session), _facility(session)
    _births(session, ring, 80, 8)  # 10 %
    _births(session, referral, 1500, 20)  # 1.3 %
    _births(session, tiny, 2, 1)
    frames = load_frames(session)
    import sys

    pl.Config.set_tbl_cols(30)
    pl.Config.set_tbl_width_chars(300)
    print(
        compare_entities(frames).filter(pl.col("metric") == "facility_relinquishment_rate").drop("records"),
        file=sys.stderr,
    )
    found = {(c.kind, c.subject_ref): c for c in detect(frames, today=TODAY)}
    flag = found[("facility_relinquishment_rate", ring.ref)]
    assert {subject for _kind, subject in found} == {ring.ref}
    assert flag.subject_type == "facility" and 0.6 <= flag.score <= 1
    assert flag.evidence["events"] == 8 and flag.evidence["cases"] == 80
    assert flag.evidence["peer_level"] == "regency" and flag.evidence["peer_entities"] == 8
    assert 0 < float(flag.evidence["q"]) <= 0.01
    assert flag.evidence["shrunk_rate_ratio"] >= 4
    assert "8 of 80 births (10.00 %) were followed by a relinquishment" in flag.explanation_en
    assert "8 dari 80 kelahiran (10,00 %) diikuti penyerahan anak" in flag.explanation_id
    assert len(flag.records) == 16  # the eight births and their relinquishments
    tested = compare_entities(frames).filter(pl.col("metric") == "facility_relinquishment_rate")
    by_ref = {r["entity_ref"]: r for r in tested.iter_rows(named=True)}
    assert not by_ref[referral.ref]["flagged"] and not by_ref[tiny.ref]["flagged"]
    assert by_ref[tiny.ref]["shrunk_ratio"] < 4


def test_mothers_from_across_a_border_are_a_border_clinics_trade_and_from_far_away_a_signal(
    session: Session,
) -> None:
    for _ in range(6):
        _births(session, _facility(session), 200, 0, homes=("340401",) * 2 + ("110101",))  # peers: 1.5 %
    border, far = _facility(session), _facility(session)
    # Jawa Tengah's clinic: 70 of 100 mothers from Sleman (DI Yogyakarta, the next province over) ...
    _births(session, border, 100, 0, homes=("340401",) * 70)
    # ... and one with 30 of 100 from Aceh and Sumatera Utara, at the other end of the country.
    _births(session, far, 100, 0, homes=("110101",) * 20 + ("120101",) * 10)
    frames = load_frames(session)
    found = {(c.kind, c.subject_ref): c for c in detect(frames, today=TODAY)}
    assert ("facility_out_of_province_mothers", border.ref) not in found
    flag = found[("facility_out_of_province_mothers", far.ref)]
    assert flag.evidence["events"] == 30 and flag.evidence["peer_events"] == 6
    assert "30 of 100 births (30.00 %) were to mothers living in a province that does not border" in (
        flag.explanation_en
    )
