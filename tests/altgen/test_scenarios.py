"""The independent scenario generator (`jaga.altgen.scenarios`): written without `jaga.synth`, its files
import through `jaga import`'s own path, its truth folder reads as the evaluation reads it."""

from __future__ import annotations

import ast
import csv
import tomllib
from pathlib import Path

import pytest

from jaga.altgen.scenarios import Shape, build, files_in_order, write
from jaga.flags.evaluate import read_truth

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "jaga" / "altgen"
FORBIDDEN = ("jaga.synth", "jaga.names", "jaga.linkage")
SMALL = Shape(
    births=400,
    provinces=("33", "51", "53"),
    regencies_per_province=2,
    ring_babies=(4, 6),
    renamed_missing=3,
    referral_hospitals=1,
)


@pytest.fixture(scope="module")
def world_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("altgen-world")
    write(build(SMALL, 7), out, shape=SMALL, seed=7)
    return out


def test_the_contract_forbids_the_generator_to_see_jaga_synth() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    mine = [c for c in contracts if c.get("source_modules") == ["jaga.altgen"]]
    assert mine and set(FORBIDDEN) <= set(mine[0]["forbidden_modules"])


def test_no_module_of_the_generator_imports_jaga_synth() -> None:
    modules = sorted((PACKAGE / "scenarios").glob("*.py"))
    assert len(modules) >= 6
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"


def test_every_file_imports_cleanly_as_its_role(world_folder: Path, tmp_path: Path) -> None:
    from jaga.bench.flags_quality import _actors
    from jaga.db import create_engine_for, session_factory
    from jaga.regions import upgrade_and_seed
    from jaga.registry import KINDS, FileFormat, run_import

    engine = create_engine_for(f"sqlite:///{(tmp_path / 'r.db').as_posix()}")
    upgrade_and_seed(engine)
    sessions = session_factory(engine)
    actors = _actors(sessions)
    kinds = set()
    for path, kind, role in files_in_order(world_folder):
        summary = run_import(
            sessions, actor=actors[role], kind=KINDS[kind], path=path, fmt=FileFormat.CSV, report_path=None
        )
        with path.open(encoding="utf-8") as handle:
            rows = sum(1 for _ in csv.DictReader(handle))
        assert summary.written == rows, (path.name, summary)
        kinds.add(kind)
    engine.dispose()
    assert kinds == set(KINDS)  # every kind jaga imports, adoption steps included


def test_the_truth_folder_reads_as_the_evaluation_reads_it(world_folder: Path) -> None:
    truth = read_truth(world_folder)
    types = set(truth.schemes.values())
    assert {"scattered_clinics", "midwife_network", "licensed_lksa", "buyer_registration"} <= types
    assert sum(t == "renamed_missing" for t in truth.schemes.values()) == 3
    assert truth.rings and all(truth.schemes[s] != "renamed_missing" for s in truth.rings)
    assert truth.buyer_births and len(truth.missing) == 3
    kinds = set(truth.lookalikes.values())
    assert {"referral_hospital", "emergency_foster_lksa", "outreach_registrar", "border_clinic"} <= kinds
    # Every member and look-alike is a record of the file the truth names.
    refs: dict[str, set[str]] = {}
    for path in world_folder.glob("*.csv"):
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        # A birth's child is created by its birth row (child_ref), as jaga's own import does.
        refs[path.name] = {row[c] for row in rows for c in ("ref", "child_ref") if row.get(c)}
    for name in ("scheme_members.csv", "lookalikes.csv"):
        with (world_folder / "truth" / name).open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                assert row["ref"] in refs[row["file"]], row


def test_nothing_outside_truth_names_a_scheme(world_folder: Path) -> None:
    for path in world_folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        for word in ("scheme", "buyer", "lookalike", "look-alike"):
            assert word not in text.lower(), (path.name, word)


def test_the_same_seed_writes_the_same_files(world_folder: Path, tmp_path: Path) -> None:
    write(build(SMALL, 7), tmp_path, shape=SMALL, seed=7)
    for path in world_folder.rglob("*.csv"):
        again = tmp_path / path.relative_to(world_folder)
        assert again.read_bytes() == path.read_bytes(), path.name
    write(build(SMALL, 8), tmp_path / "other", shape=SMALL, seed=8)
    assert (tmp_path / "other" / "births-facility.csv").read_bytes() != (
        world_folder / "births-facility.csv"
    ).read_bytes()


def test_jaga_altgen_world_writes_a_world_and_refuses_a_used_folder(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from jaga.cli import app

    out = tmp_path / "world"
    result = CliRunner().invoke(app, ["altgen", "world", "--births", "200", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "manifest.json").is_file() and read_truth(out).schemes
    again = CliRunner().invoke(app, ["altgen", "world", "--births", "200", "--out", str(out)])
    assert again.exit_code == 3 and "new or empty folder" in again.output


def test_the_border_clinic_delivers_mothers_from_across_a_land_border(world_folder: Path) -> None:
    from jaga.altgen.scenarios.lookalikes import LAND_BORDERS

    def rows(name: str) -> list[dict[str, str]]:
        with (world_folder / name).open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    clinics = {r["ref"] for r in rows("truth/lookalikes.csv") if r["type"] == "border_clinic"}
    province = {r["ref"]: r["region_code"][:2] for r in rows("facilities.csv") if r["ref"] in clinics}
    assert len(province) == 1  # SMALL has one, in Jawa Tengah (Bali and NTT have no land border)
    ((clinic, here),) = province.items()
    assert here == "33"
    homes = {r["ref"]: r["address_region_code"][:2] for r in rows("people-facility.csv")}
    mothers = [homes[b["mother_ref"]] for b in rows("births-facility.csv") if b["facility_ref"] == clinic]
    across = [p for p in mothers if p != here]
    assert len(across) >= len(mothers) / 2
    # Every mother who does not live in the clinic's province lives in one next to it, over land.
    assert set(across) and set(across) <= set(LAND_BORDERS[here])
    assert {"32", "34", "35"} >= set(LAND_BORDERS["33"])


def test_the_generators_land_borders_are_symmetric() -> None:
    from jaga.altgen.scenarios.lookalikes import LAND_BORDERS

    assert all(a in LAND_BORDERS[b] for a, others in LAND_BORDERS.items() for b in others)
    assert "51" not in LAND_BORDERS and "53" not in LAND_BORDERS  # islands: no land border
