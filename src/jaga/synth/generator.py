"""`synthesise()`: a synthetic Indonesia, written in the import formats, with its truth kept apart."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jaga
from jaga.errors import InvalidInput
from jaga.synth.care import CarePaths
from jaga.synth.context import Context
from jaga.synth.ids import RefMaker
from jaga.synth.output import BY_NAME, TRUTH_DIR, Output
from jaga.synth.population import Birth, Population
from jaga.synth.rand import Rand
from jaga.synth.scenario import Scenario
from jaga.synth.schemes import Schemes
from jaga.synth.tips import TIPS_FILE, write_tips
from jaga.synth.world import World, build_world

CHUNK_BIRTHS = 20_000  # births generated, shuffled and written together (bounds memory)

Progress = Callable[[int, int], None]  # (births done, births total)


@dataclass(frozen=True)
class SynthSummary:
    births: int
    seconds: float
    files: dict[str, int]
    planted: dict[str, int]

    @property
    def records(self) -> int:
        """Rows of the registry's import files (not the tips, not the truth)."""
        return sum(n for name, n in self.files.items() if name in BY_NAME)

    @property
    def tips(self) -> int:
        return self.files.get(TIPS_FILE, 0)


def synthesise(
    *, births: int, seed: int, out: Path, scenario: Scenario, progress: Progress | None = None
) -> SynthSummary:
    """Generate `births` base births (plus the planted schemes) into `out`, deterministically for `seed`."""
    if births < 100:
        raise InvalidInput("--births must be at least 100")
    if out.exists() and any(out.iterdir()):
        raise InvalidInput(f"output folder {out} is not empty; choose a new folder")
    started = time.perf_counter()
    rng = Rand(seed)
    refs = RefMaker(seed)
    output = Output(out, rng)
    world = build_world(scenario, births, rng, refs)
    ctx = Context(scenario, world, refs, output, rng)
    population = Population(ctx)
    care = CarePaths(ctx)
    schemes = Schemes(ctx, population, care)
    chunks = max(1, math.ceil(births / CHUNK_BIRTHS))
    schemes.plan(chunks)
    _write_entities(output, world)

    relinquishment = scenario.population.relinquishment
    multiplier = scenario.lookalikes.referral_relinquishment_multiplier
    referral = {f.ref for f in population.referral.values()}
    missing = scenario.population.missing_reports_per_birth
    done = 0
    for chunk in range(chunks):
        target = min(CHUNK_BIRTHS, births - done)
        chunk_births: list[Birth] = []
        while len(chunk_births) < target:
            mother, first = population.mother()
            for order, day in enumerate(population.birth_dates(first), start=1):
                if len(chunk_births) >= target:
                    break
                birth = population.add_birth(mother, day, order, facility=population.facility_for(mother))
                chunk_births.append(birth)
                rate = relinquishment * (
                    multiplier if birth.facility and birth.facility.ref in referral else 1.0
                )
                if rng.random() < rate:
                    schemes.used.add(birth.ref)
                    care.legitimate_relinquishment(birth)
                elif rng.random() < missing:
                    schemes.used.add(birth.ref)
                    care.legitimate_missing(birth)
        schemes.run_chunk(chunk, chunk_births)
        output.flush_chunk()
        done += target
        if progress is not None:
            progress(done, births)

    for institution in world.institutions:
        output.add(
            "institutions.csv",
            {
                "ref": institution.ref,
                "name": institution.name,
                "kind": institution.kind,
                "licence_number": institution.licence,
                "licence_issuer": institution.issuer,
                "licence_valid_from": institution.valid_from,
                "licence_valid_until": institution.valid_until,
                "licence_status": institution.status,
                "foundation_number": institution.foundation,
                "region_code": institution.district,
            },
        )
    tips = write_tips(
        output,
        world,
        scenario.tips,
        schemes,
        list(population.referral.values()),
        births=births,
        seed=seed,
    )
    (out / TRUTH_DIR / "scenario.json").write_text(
        json.dumps(
            {
                "seed": seed,
                "births": births,
                "scenario": scenario.model_dump(mode="json"),
                "planted_units": schemes.scheme_counts(),
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    output.close(
        {
            "generator": f"jaga synth {jaga.__version__}",
            "seed": seed,
            "births": births,
            "chunks": chunks,
            # Not an import: the public sends these through /lapor (jaga.tips.submit_tip).
            "tips": {"file": TIPS_FILE, "rows": tips},
        },
        ctx.noise_log.as_dict(),
    )
    return SynthSummary(births, time.perf_counter() - started, dict(output.counts), schemes.scheme_counts())


def _write_entities(output: Output, world: World) -> None:
    for facility in world.facilities:
        output.add(
            "facilities.csv",
            {
                "ref": facility.ref,
                "name": facility.name,
                "kind": facility.kind,
                "licence_number": facility.licence,
                "region_code": facility.district,
            },
        )
        for attendant in facility.attendants:
            output.add(
                "attendants.csv",
                {
                    "ref": attendant.ref,
                    "full_name": attendant.name,
                    "kind": attendant.kind,
                    "registration_number": attendant.registration,
                    "facility_ref": attendant.facility_ref,
                    "region_code": attendant.region,
                },
            )
    officials = [
        o
        for group in (world.registrars, world.social_workers, world.court_clerks)
        for members in group.values()
        for o in members
    ]
    for official in officials:
        output.add(
            "officials.csv",
            {
                "ref": official.ref,
                "full_name": official.name,
                "role": official.role,
                "office": official.office,
                "nip": official.nip,
                "region_code": official.region,
            },
        )
