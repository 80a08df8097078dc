"""`jaga bench link` for real on the public FEBRL1 data and on a small altgen data set: both models' rows,
with their figures."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from jaga.cli import app


def test_bench_link_on_febrl1_prints_jaga_and_the_splink_reference() -> None:
    result = CliRunner().invoke(app, ["bench", "link", "--datasets", "febrl1"], terminal_width=250)
    assert result.exit_code == 0, result.output
    rows = {
        model: cells
        for line in result.output.splitlines()
        if (cells := [c.strip() for c in line.split("│") if c.strip()]) and cells[0] == "febrl1"
        for model in [cells[1]]
    }
    assert set(rows) == {"jaga (link csv)", "Splink reference"}
    for cells in rows.values():
        records, blocking_recall, pairs, precision, recall, f1 = cells[2:8]
        assert records == "1,000"
        assert int(pairs.replace(",", "")) > 0
        for figure in (blocking_recall, precision, recall, f1):
            assert re.fullmatch(r"[01]\.\d{4}", figure) and 0 <= float(figure) <= 1
    assert "blocking recall" in result.output


def test_bench_link_on_altgen_prints_both_models_and_their_recall_on_indonesian_noise() -> None:
    result = CliRunner().invoke(
        app, ["bench", "link", "--datasets", "altgen", "--altgen-entities", "200"], terminal_width=250
    )
    assert result.exit_code == 0, result.output
    label = "altgen 200 (seed 7)"
    lines = [[c.strip() for c in line.split("│") if c.strip()] for line in result.output.splitlines()]
    rows = [cells for cells in lines if cells and cells[0] == label]
    main = {cells[1]: cells for cells in rows if len(cells) == 9}
    assert set(main) == {"jaga (link csv)", "Splink reference"}
    for cells in main.values():
        assert int(cells[2].replace(",", "")) > 200  # more records than persons
        for figure in cells[3:4] + cells[5:8]:
            assert re.fullmatch(r"[01]\.\d{4}", figure) and 0 <= float(figure) <= 1
    indonesian = {cells[1]: cells for cells in rows if len(cells) == 7 and cells[2] == "Indonesian noise"}
    assert set(indonesian) == {"jaga (link csv)", "Splink reference"}
    for cells in indonesian.values():
        assert int(cells[3].replace(",", "")) > 0
        for figure in cells[4:7]:
            assert re.fullmatch(r"[01]\.\d{4}", figure) and 0 <= float(figure) <= 1


def test_bench_link_ablation_prints_f1_with_each_name_step_switched_off() -> None:
    result = CliRunner().invoke(
        app,
        ["bench", "link", "--ablation", "--datasets", "altgen", "--altgen-entities", "150"],
        terminal_width=300,
    )
    assert result.exit_code == 0, result.output
    lines = [[c.strip() for c in line.split("│") if c.strip()] for line in result.output.splitlines()]
    table: dict[str, list[str]] = {}
    for cells in lines:  # the F1 table comes first; the recall table repeats the step names
        if len(cells) >= 2:
            table.setdefault(cells[0].split(":")[0], cells)
    from jaga.names import STEPS

    assert set(STEPS) | {"none (every step on)"} <= set(table)
    base = float(table["none (every step on)"][1])
    for step in STEPS:
        f1, change = re.fullmatch(r"([01]\.\d{4}) \(([+-]\d\.\d{4})\)", table[step][1]).groups()  # type: ignore[union-attr]
        assert abs(float(f1) - base - float(change)) < 1e-3
    assert "Splink reference, altgen 150 (seed 7)" in result.output
