"""Every malformed file of the corpus, into a registry holding a synthetic province: a clear verdict for
each (exit 0, or 3 with its rows named; never a traceback or exit 70), and nothing partial (a refused
file changes no table and writes no event; an accepted one writes every row it read)."""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from jaga.db import EventRecord, create_engine_for
from jaga.db.tables import LEDGERED
from jaga.synth.generator import synthesise
from jaga.synth.output import files_in_order
from jaga.synth.scenario import Scenario
from tests.cli_helpers import jaga
from tests.conftest import DIALECTS, PreparedDatabase, _require
from tests.registry.importers.malformed import MUTATIONS, Case, Sample, build
from tests.synthetic_registry import imported_registry

SAMPLE_ROWS = 4
FAST_MUTATIONS = ["valid", "nul-byte", "truncated-mid-row", "spreadsheet-formulas", "jsonl-nested-10000-deep"]
SUMMARY = re.compile(r"(\d+) rows read, (\d+) written, (\d+) rejected")


def _samples(folder: Path) -> list[Sample]:
    """The first rows of each kind's first file (the corpus makes their unique values new)."""
    samples: dict[str, Sample] = {}
    for path, kind, role in files_in_order(folder):
        if kind in samples:
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = list(reader.fieldnames or [])
            rows = list(itertools.islice(reader, SAMPLE_ROWS))
        samples[kind] = Sample(kind, role, columns, rows)
    return list(samples.values())


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Sample]]:
    folder = tmp_path_factory.mktemp("malformed") / "synth"
    synthesise(births=150, seed=17, out=folder, scenario=Scenario(name="malformed", province="33"))
    return folder, _samples(folder)


@pytest.fixture(scope="module", params=DIALECTS)
def registry(
    request: pytest.FixtureRequest,
    _databases: dict[str, PreparedDatabase | str],
    province: tuple[Path, list[Sample]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[PreparedDatabase, str]]:
    database = _require(_databases, request.param)
    with imported_registry(database, province[0], tmp_path_factory) as url:
        yield database, url


def _counts(url: str) -> dict[str, int]:
    engine = create_engine_for(url)
    with engine.connect() as connection:
        counts = {t: int(connection.scalar(select(func.count()).select_from(text(t))) or 0) for t in LEDGERED}
        counts["events"] = int(connection.scalar(select(func.count()).select_from(EventRecord)) or 0)
    engine.dispose()
    return counts


# Each dialect's verdict per file, so that the second dialect's run can be compared with the first.
VERDICTS: dict[str, dict[str, int]] = {}


def _run_corpus(registry: tuple[PreparedDatabase, str], cases: list[Case], folder: Path) -> Counter[str]:
    database, url = registry
    verdicts: Counter[str] = Counter()
    by_file = VERDICTS.setdefault(database.dialect, {})
    for case in cases:
        before = _counts(url)
        result = jaga(
            url, "import", case.kind, str(case.path), token=database.tokens[case.role], data_dir=folder
        )
        after = _counts(url)
        where = f"{case.kind} / {case.name}"
        by_file[where] = result.exit_code
        assert "Traceback" not in result.output, where
        assert result.exit_code in (0, 3), f"{where}: exit {result.exit_code}: {result.output[-500:]}"
        if result.exit_code == 3:
            assert after == before, f"{where}: refused, yet the database changed"
            assert "error" in result.output.lower(), where
            verdicts["refused"] += 1
            continue
        found = SUMMARY.search(result.output)
        assert found, f"{where}: no summary in {result.output[-300:]}"
        read, written, rejected = (int(g) for g in found.groups())
        assert (written, rejected) == (read, 0), f"{where}: accepted only part of the file"
        assert after["events"] - before["events"] >= written, f"{where}: rows written without their events"
        verdicts["accepted"] += 1
    verdicts["files"] = len(cases)
    return verdicts


def test_a_few_malformed_files_get_a_clear_verdict_and_no_partial_write(
    registry: tuple[PreparedDatabase, str], province: tuple[Path, list[Sample]], tmp_path: Path
) -> None:
    if registry[0].dialect != "sqlite":
        pytest.skip("the whole corpus runs on both databases in the slow tier")
    cases = build(province[1], tmp_path, FAST_MUTATIONS, series=1)  # the whole corpus is series 0
    verdicts = _run_corpus(registry, cases, tmp_path)
    assert verdicts["refused"] and verdicts["accepted"]


@pytest.mark.slow
def test_the_whole_malformed_corpus_gets_clear_verdicts_and_no_partial_write(
    registry: tuple[PreparedDatabase, str], province: tuple[Path, list[Sample]], tmp_path: Path
) -> None:
    cases = build(province[1], tmp_path)
    assert len(cases) == len(MUTATIONS) * len(province[1]) >= 300
    verdicts = _run_corpus(registry, cases, tmp_path)
    print(f"\nmalformed corpus on {registry[0].dialect}: {dict(verdicts)}")
    if len(VERDICTS) == len(DIALECTS):  # the same file gets the same verdict on SQLite and PostgreSQL
        first, second = (VERDICTS[d] for d in DIALECTS)
        assert {f: (first[f], second.get(f)) for f in first if first[f] != second.get(f)} == {}
    # Every kind whose sample can be written again accepts its unmutated file and the harmless variants.
    assert verdicts["accepted"] >= 3 * 8, dict(verdicts)
    assert verdicts["refused"] > verdicts["accepted"]
