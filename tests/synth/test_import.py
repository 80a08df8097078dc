"""Everything the generator writes passes `jaga import` as it is, on both databases."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.registry.importers import FileFormat, run_import
from jaga.registry.kinds import KINDS
from jaga.registry.models import Birth, Person, Relinquishment
from jaga.synth.generator import SynthSummary
from jaga.synth.output import files_in_order


def test_every_generated_file_imports_without_a_rejected_row(
    synth_run: tuple[Path, SynthSummary],
    sessions: sessionmaker[Session],
    actors: dict[str, Actor],
    tmp_path: Path,
) -> None:
    out, summary = synth_run
    with sessions() as session:
        people_before = session.scalar(select(func.count()).select_from(Person))
    imported = 0
    for path, kind, role in files_in_order(out):
        result = run_import(
            sessions,
            actor=actors[role],
            kind=KINDS[kind],
            path=path,
            fmt=FileFormat.CSV,
            report_path=tmp_path / f"{path.stem}.report.csv",
        )
        assert result.rejected == 0, (path.name, result.first_problems[:3])
        assert result.written == summary.files[path.name]
        imported += result.written
    assert imported == summary.records
    with sessions() as session:
        births = session.scalar(select(func.count()).select_from(Birth))
        people = (session.scalar(select(func.count()).select_from(Person)) or 0) - (people_before or 0)
        relinquishments = session.scalar(select(func.count()).select_from(Relinquishment))
    assert births == summary.files["births-facility.csv"] + summary.files["births-civil-registry.csv"]
    assert people > births  # mothers, children (created by the births import), adopters, reporters
    assert relinquishments == summary.files["relinquishments.csv"]
