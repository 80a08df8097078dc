"""Exact search and the filters, on hand-made vectors (no photo, no dlib): the nearest come first,
vectors of another model version are never compared, and sex and the age band narrow the candidates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import UnitOfWork
from jaga.faces import FaceVector, Photo
from jaga.faces.embedding import MODEL_VERSION
from jaga.faces.search import AgeBand, distances, top_k
from jaga.faces.services import match
from jaga.registry import Person
from tests.factories.flags import DENPASAR, Rows

NOW = datetime(2026, 3, 1, tzinfo=UTC)
SERIAL = count(1)


def test_distances_and_top_k_agree_with_brute_force() -> None:
    rng = np.random.default_rng(7)
    stored = rng.normal(size=(500, 128)).astype(np.float32)
    query = rng.normal(size=128).astype(np.float32)
    found = distances(query, stored)
    brute = np.linalg.norm(stored - query, axis=1)
    assert np.allclose(found, brute, atol=1e-3)
    mask = np.ones(500, dtype=bool)
    mask[np.argsort(brute)[0]] = False  # the nearest is filtered out
    assert top_k(found, mask, 5) == [int(i) for i in np.argsort(brute)[1:6]]
    assert top_k(found, np.zeros(500, dtype=bool), 5) == []


def test_the_age_band_ages_the_child_on_and_allows_rough_estimates() -> None:
    band = AgeBand()
    expected = band.expected(24, date(2025, 1, 1), date(2026, 1, 1))
    assert expected == 36
    assert band.allows(expected, 30) and band.allows(expected, 46)
    assert not band.allows(expected, 20) and not band.allows(expected, 60)


def _photo(rows: Rows, person: Person, vector: np.ndarray, *, kind: str, report_id: int | None = None,
           age: int | None = None, version: str = MODEL_VERSION, taken_on: date = date(2025, 9, 1)) -> Photo:  # fmt: skip
    photo = rows._add(
        Photo(
            ref=f"PH-T{next(SERIAL):06d}", region_code=person.region_code, created_at=NOW, subject_kind=kind,
            missing_report_id=report_id, person_id=person.id, basis="consent", consent_by="mother",
            taken_by="test", taken_on=taken_on, age_months=age, reason="test", sha256="0" * 64,
            media_type="image/jpeg", width=100, height=100, faces_found=1, face_number=1, face_left=0,
            face_top=0, face_right=10, face_bottom=10,
        )
    )  # fmt: skip
    rows._add(FaceVector(photo_id=photo.id, model_version=version, vector=vector.tobytes(), computed_at=NOW))
    return photo


def test_other_versions_sex_and_age_narrow_the_candidates(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    rng = np.random.default_rng(3)
    base = rng.normal(scale=0.1, size=128).astype(np.float32)
    near = lambda: base + rng.normal(scale=0.005, size=128).astype(np.float32)  # noqa: E731
    with sessions() as session:
        rows = Rows(session)
        child = rows.person(sex="M")
        report = rows.missing(child, date(2025, 6, 1))
        _photo(
            rows, child, base, kind="missing_report", report_id=report.id, age=24, taken_on=date(2025, 5, 1)
        )
        same_age_boy = rows.person(sex="M", region_code=DENPASAR)
        kept = _photo(rows, same_age_boy, near(), kind="person", age=28)
        girl = rows.person(sex="F", region_code=DENPASAR)
        _photo(rows, girl, near(), kind="person", age=28)
        teenager = rows.person(sex="M", region_code=DENPASAR)
        _photo(rows, teenager, near(), kind="person", age=160)
        other_model = rows.person(sex="M", region_code=DENPASAR)
        _photo(rows, other_model, near(), kind="person", age=28, version="some-other-model")
        unknown_age = rows.person(region_code=DENPASAR)
        unknown = _photo(rows, unknown_age, near(), kind="person")
        session.commit()
    with UnitOfWork(sessions) as uow:
        result = match(uow, actors["police"], reason="test-run", channel="test")
    [found] = result["reports"]
    assert sorted(c["intake_photo_ref"] for c in found["candidates"]) == sorted([kept.ref, unknown.ref])
    # The vector of another model version is not even loaded: 4 of the 5 intake photos are compared.
    assert result["settings"]["compared"] == {"open_report_photos": 1, "intake_photos": 4}
    assert all(c["filters"]["model_version"] == MODEL_VERSION for c in found["candidates"])


def test_an_intake_photo_beyond_a_reports_top_still_gets_its_nearest_report(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    rng = np.random.default_rng(5)
    base = rng.normal(scale=0.1, size=128).astype(np.float32)
    with sessions() as session:
        rows = Rows(session)
        child = rows.person()
        report = rows.missing(child, date(2025, 6, 1))
        _photo(rows, child, base, kind="missing_report", report_id=report.id)
        for _ in range(12):  # twelve nearer intake photos fill the report's top 10
            near = rows.person(region_code=DENPASAR)
            _photo(rows, near, base + rng.normal(scale=0.003, size=128).astype(np.float32), kind="person")
        farther = rows.person(region_code=DENPASAR)
        step = np.zeros(128, dtype=np.float32)
        step[0] = 0.3  # farther than every other, still within the 0.6 setting
        beyond = _photo(rows, farther, base + step, kind="person")
        session.commit()
    with UnitOfWork(sessions) as uow:
        result = match(uow, actors["police"], reason="test-run", channel="test", top=10, per_intake=3)
    [found] = result["reports"]
    assert len(found["candidates"]) == 10 and beyond.ref not in [
        c["intake_photo_ref"] for c in found["candidates"]
    ]
    mine = {i["intake_photo_ref"]: i for i in result["intakes"]}[beyond.ref]
    [candidate] = mine["candidates"]
    assert (candidate["report_ref"], candidate["rank_for_intake"], candidate["rank_for_report"]) == (
        report.ref,
        1,
        None,
    )
    assert abs(candidate["distance"] - 0.3) < 1e-3
    assert len(result["intakes"]) == 13  # every intake photo has its one report
