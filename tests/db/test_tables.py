"""The list of ledgered tables is explicit, complete, and agrees with the events a real registry writes.

`jaga ledger audit` checks exactly the tables in `jaga.db.tables.LEDGERED`, whatever the process imported;
these tests keep that list, the models and a filled events table in agreement, so a new table or event
kind cannot slip past the audit unnoticed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from jaga.db import EventKind, EventRecord, create_engine_for
from jaga.db.tables import LEDGERED, UNLEDGERED, metadata
from jaga.synth.generator import synthesise
from jaga.synth.scenario import Scenario
from tests.cli_helpers import jaga
from tests.conftest import DIALECTS, PreparedDatabase, _require
from tests.faces.conftest import download_face_images, photograph_registry
from tests.field.conftest import field_conflict_in_registry
from tests.synthetic_registry import PIPELINE_ORIGIN, pipeline_registry


def test_every_table_is_either_ledgered_or_declared_derived() -> None:
    tables = set(metadata().tables) | {"alembic_version"}
    assert not set(LEDGERED) & set(UNLEDGERED)
    assert tables == set(LEDGERED) | set(UNLEDGERED), (
        f"undeclared: {sorted(tables - set(LEDGERED) - set(UNLEDGERED))}; "
        f"declared but gone: {sorted(set(LEDGERED) | set(UNLEDGERED) - tables)}"
    )


def test_every_event_kind_belongs_to_exactly_one_table() -> None:
    owners = {kind: [t for t, kinds in LEDGERED.items() if kind in kinds] for kind in EventKind}
    assert {kind: tables for kind, tables in owners.items() if len(tables) != 1} == {}


@pytest.fixture(scope="module", params=DIALECTS)
def filled(
    request: pytest.FixtureRequest,
    _databases: dict[str, PreparedDatabase | str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Path]]:
    """A synthetic province after the whole pipeline and one of each reviewer's acts, and its log keys."""
    database = _require(_databases, request.param)
    # Tips on a small province: its ring reported, and a few tips about nothing (the default rates give
    # 250 births none), so that tips and their follow-ups are ledgered too.
    plan = Scenario.model_validate(
        {"name": "ledgered-tables", "province": "51", "tips": {"ring_tipped": 1, "vague_per_10k_births": 200}}
    )
    folder = tmp_path_factory.mktemp("ledgered") / "synth"
    synthesise(births=250, seed=3, out=folder, scenario=plan)
    keys = tmp_path_factory.mktemp("ledgered-keys")
    photos = download_face_images(tmp_path_factory.mktemp("ledgered-faces"))
    with pipeline_registry(database, folder, plan, keys, tmp_path_factory) as url:
        # Photos through the public path, and a reviewer's confirmation, so face matching's ledgered
        # tables (photos, face_reviews) are filled and audited like the others.
        data_dir = tmp_path_factory.mktemp("ledgered-data")
        candidates = photograph_registry(url, data_dir, database.tokens, photos, reason="ledgered tables")
        assert candidates, "the same man's two photos should make a candidate"
        confirmed = jaga(
            url, "faces", "review", "--confirm", str(candidates[0]["candidate_id"]),
            "--note", "same child", token=database.tokens["police"], data_dir=data_dir,
        )  # fmt: skip
        assert confirmed.exit_code == 0, confirmed.output
        # A field device enrolled (ledgered in field_device_changes) and its batch imported.
        field_conflict_in_registry(url, database.tokens, tmp_path_factory.mktemp("ledgered-field"))
        yield url, keys


@pytest.mark.slow
def test_a_filled_registry_writes_exactly_the_declared_events(filled: tuple[str, Path]) -> None:
    engine = create_engine_for(filled[0])
    with Session(engine) as session:
        written = {
            (aggregate, EventKind(kind))
            for aggregate, kind in session.execute(select(EventRecord.aggregate, EventRecord.kind).distinct())
        }
        empty = [
            table for table in LEDGERED if not session.scalar(select(func.count()).select_from(text(table)))
        ]
        aggregates = set(session.scalars(select(EventRecord.aggregate).distinct()))
    engine.dispose()
    declared = {(table, kind) for table, kinds in LEDGERED.items() for kind in kinds}
    assert written <= declared, f"events of undeclared kinds or tables: {sorted(written - declared)}"
    assert aggregates == set(LEDGERED) - set(empty)
    assert len(empty) <= 2, f"the fixture should fill nearly every ledgered table; empty: {empty}"
    assert not {"photos", "face_reviews"} & set(empty)  # the fixture adds photos and confirms a candidate
    assert not {"tips", "tip_messages"} & set(empty)  # tips arrive, an officer asks, the tipster answers
    assert "field_device_changes" not in empty  # a field device is enrolled


@pytest.mark.slow
def test_the_audit_checks_every_ledgered_table_in_a_process_that_imported_nothing_else(
    filled: tuple[str, Path],
) -> None:
    url, keys = filled
    program = f"""
import json
from pathlib import Path
from sqlalchemy.orm import Session
from jaga.db import create_engine_for
from jaga.sequencer import audit, published_verifiers
engine = create_engine_for({url!r})
with Session(engine) as session:
    report = audit(session, published_verifiers(Path({str(keys)!r})), origin={PIPELINE_ORIGIN!r})
print(json.dumps({{"rows": report.rows_checked, "problems": report.problems}}))
"""
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    engine = create_engine_for(url)
    with Session(engine) as session:
        rows = sum(int(session.scalar(select(func.count()).select_from(text(t))) or 0) for t in LEDGERED)
    engine.dispose()
    assert report["problems"] == []
    assert report["rows"] == rows
