"""Build a scenario world and write it: the import files jaga reads (one header per kind, from the
registry's own schemas), `manifest.json` (files in import order, each with its kind and the role that
imports it) and `truth/` (schemes.csv, scheme_members.csv, lookalikes.csv, scenario.json), the format
`jaga.flags.evaluate.read_truth` reads."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from jaga.altgen.scenarios import lookalikes, rings
from jaga.altgen.scenarios.population import active_regencies, ordinary_missing, populate
from jaga.altgen.scenarios.world import FILES, World
from jaga.files import atomic_text, private_folder

ORDERED = {"adoption-steps-1-social.csv", "adoption-steps-2-court.csv", "adoption-steps-3-registrar.csv"}


@dataclass(frozen=True)
class Shape:
    """What one world holds; every size scales with `births`."""

    births: int = 8000
    provinces: tuple[str, ...] = ("32", "33", "35", "12", "61", "73", "51", "53")
    regencies_per_province: int = 4
    relinquish_rate: float = 0.003
    hidden: float = 0.5
    scattered_clinics: int = 1
    midwife_networks: int = 1
    licensed_lksas: int = 1
    ring_babies: tuple[int, int] = (10, 22)
    buyer_registered_share: float = 0.35
    renamed_missing: int = 10
    referral_hospitals: int = 2
    referral_relinquish_rate: float = 0.03
    emergency_foster_lksas: int = 1
    outreach_registrars: int = 1
    border_clinics: int = 1
    extra: dict[str, float] = field(default_factory=dict)


def build(shape: Shape, seed: int) -> World:
    world = World(seed, shape.provinces)
    rng = world.rng
    regencies = active_regencies(world, shape.regencies_per_province)
    populate(world, shape.births, regencies, relinquish_rate=shape.relinquish_rate)
    ordinary_missing(world, regencies, max(3, shape.births // 800))
    sales: list[rings.Sale] = []

    def size() -> int:
        return rng.randint(*shape.ring_babies)

    for _ in range(shape.scattered_clinics):
        sales += rings.scattered_clinics(world, rng.choice(regencies), size(), shape.hidden)
    for _ in range(shape.midwife_networks):
        sales += rings.midwife_network(world, rng.sample(list(shape.provinces), 2), size(), shape.hidden)
    for _ in range(shape.licensed_lksas):
        sales += rings.licensed_lksa(world, rng.choice(regencies), size(), shape.hidden)
    registered = [s for s in sales if rng.random() < shape.buyer_registered_share]
    if registered:
        rings.buyer_registration(world, registered, rng.choice(regencies), shape.hidden)
    rings.renamed_missing(world, shape.renamed_missing, regencies)
    for _ in range(shape.referral_hospitals):
        lookalikes.referral_hospital(
            world, rng.choice(regencies), max(50, shape.births // 25), shape.referral_relinquish_rate
        )
    for _ in range(shape.emergency_foster_lksas):
        lookalikes.emergency_foster_lksa(
            world, rng.choice(regencies), max(20, shape.births // 150), regencies
        )
    for _ in range(shape.outreach_registrars):
        lookalikes.outreach_registrar(world, max(40, shape.births // 40))
    # A border clinic sits in a province with a land border, its mothers from across that border (the
    # next province over, active in this world or not); a world of island provinces only has none.
    bordering = [r for r in regencies if r[:2] in lookalikes.LAND_BORDERS]
    for _ in range(shape.border_clinics if bordering else 0):
        here = rng.choice(bordering)
        neighbour = rng.choice(lookalikes.LAND_BORDERS[here[:2]])
        lookalikes.border_clinic(world, here, neighbour, max(30, shape.births // 100))
    return world


def write(world: World, out: Path, *, shape: Shape, seed: int) -> Path:
    private_folder(out)
    truth = out / "truth"
    private_folder(truth)
    imports = []
    for name, kind, role in FILES:
        rows = list(world.rows[name])
        if not rows:
            continue
        if name not in ORDERED:
            world.rng.shuffle(rows)  # row order says nothing about schemes
        # The columns this world fills, in first-use order (docs/imports.md: a file may leave any optional
        # column out); written without jaga.registry, which this package may not import.
        columns = list(dict.fromkeys(key for row in rows for key in row))
        _write_csv(out / name, columns, rows)
        imports.append({"file": name, "kind": kind, "role": role, "rows": len(rows)})
    manifest = {"generator": "jaga altgen world", "seed": seed, "births": shape.births, "imports": imports}
    with atomic_text(out / "manifest.json") as handle:
        handle.write(json.dumps(manifest, indent=2))
    _write_csv(
        truth / "schemes.csv",
        ["scheme_id", "type", "ring", "hidden", "description"],
        [{**s, "hidden": f"{shape.hidden:.2f}"} for s in world.schemes],
    )
    _write_csv(truth / "scheme_members.csv", ["scheme_id", "file", "ref", "role"], world.members)
    _write_csv(
        truth / "lookalikes.csv", ["lookalike_id", "type", "file", "ref", "description"], world.lookalikes
    )
    with atomic_text(truth / "scenario.json") as handle:
        handle.write(json.dumps({"seed": seed, "shape": asdict(shape)}, indent=2))
    return out


def files_in_order(folder: Path) -> list[tuple[Path, str, str]]:
    """(path, kind, role) of each import file of a written world, in the order they import."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [(folder / entry["file"], entry["kind"], entry["role"]) for entry in manifest["imports"]]


def _write_csv(path: Path, columns: list[str], rows: Sequence[Mapping[str, object]]) -> None:
    with atomic_text(path, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
