"""`jaga bench link-scale`'s parts: the generator plants what it says, and memory is measured per process."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from jaga.bench import scale_data
from jaga.bench.link_scale import measure


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_generator_plants_noisy_duplicates(tmp_path: Path) -> None:
    path = scale_data.dedupe_file(2_000, tmp_path / "people.csv", seed=3)
    rows = _rows(path)
    truth = {r["rec_id"]: r["person"] for r in _rows(path.with_suffix(".truth.csv"))}
    assert len(rows) == 2_000 and len({r["rec_id"] for r in rows}) == 2_000
    assert list(rows[0]) == scale_data.COLUMNS
    sizes = Counter(truth.values())
    assert sum(n - 1 for n in sizes.values()) == 400  # a fifth are copies of someone else
    by_person: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_person.setdefault(truth[row["rec_id"]], []).append(row)
    copies = [group for group in by_person.values() if len(group) > 1]
    differing = sum(any(a[c] != b[c] for c in scale_data.COLUMNS[1:]) for a, b, *_ in copies)
    assert 0.3 * len(copies) < differing < len(copies)  # noisy, but not every copy
    assert all(len(r["date_of_birth"]) == 8 for r in rows)


def test_peak_memory_is_each_processs_own(tmp_path: Path) -> None:
    """os.wait4 gives one child's peak: a small process after a big one is not reported as big (the
    whole-children figure, RUSAGE_CHILDREN, would be)."""
    _, _, big, code = measure(
        [sys.executable, "-c", "x = bytearray(300 * 2**20); x[::4096] = b'1' * len(x[::4096])"],
        tmp_path / "big.log",
    )
    assert code == 0
    _, _, small, code = measure([sys.executable, "-c", "pass"], tmp_path / "small.log")
    assert code == 0
    assert big > 300 * 2**20 > small
    _, _, _, failed = measure([sys.executable, "-c", "raise SystemExit(3)"], tmp_path / "failed.log")
    assert failed == 3
