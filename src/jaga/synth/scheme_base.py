"""What the planning and the execution of planted schemes share: the planned rings and instances, the
truth files' writers, and how a scheme takes a base birth or finds a buyer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from jaga.synth.care import CarePaths, Placed
from jaga.synth.context import Context, TruePerson
from jaga.synth.population import Birth, Population
from jaga.synth.world import WEALTHY_REGENCIES, Attendant, Facility, Institution, Official


@dataclass
class Ring:
    scheme_id: str
    facility: Facility
    attendants: list[Attendant]
    institution: Institution | None
    registrar: Official | None
    hidden: float
    witnesses: dict[str, str]


@dataclass
class Instance:
    scheme_id: str
    kind: str
    hidden: float
    registrar: Official | None = None
    institution: Institution | None = None
    buyers: list[tuple[TruePerson, TruePerson, str, str]] = field(default_factory=list)


class SchemeBase:
    def __init__(self, ctx: Context, population: Population, care: CarePaths) -> None:
        self.ctx, self.population, self.care = ctx, population, care
        self.rings: list[Ring] = []
        self.instances: dict[str, list[Instance]] = {}
        self.units: list[tuple[int, str, int]] = []  # (chunk, unit kind, instance index)
        self.used: set[str] = set()  # base births already taken by a scheme
        self.planted: dict[str, int] = {}
        self._ids = 0

    # --- truth --------------------------------------------------------------------------------

    def member(self, scheme_id: str, file: str, ref: str | None, role: str) -> None:
        if ref:
            self.ctx.out.truth("scheme_members.csv", scheme_id, file, ref, role)

    def _scheme(self, kind: str, index: int, hidden: float, description: str) -> str:
        self._ids += 1
        scheme_id = f"S{self._ids:03d}"
        self.ctx.out.truth("schemes.csv", scheme_id, kind, f"{hidden:.2f}", description)
        return scheme_id

    # --- shared by the schemes' units ---------------------------------------------------------

    def _base_birth(
        self,
        births: list[Birth],
        *,
        registered: bool | None = None,
        facility: bool | None = None,
        days_left: int = 0,
    ) -> Birth | None:
        """An unused birth of this chunk with room for `days_left` more days of story before the end."""
        latest = self.ctx.end - timedelta(days=days_left)

        def fits(b: Birth) -> bool:
            return (
                b.ref not in self.used
                and b.born_on <= latest
                and (registered is None or (b.registered_on is not None) == registered)
                and (facility is None or (b.file == "births-facility.csv") == facility)
            )

        # Random probes first (most births fit); a full scan only when they all miss.
        for _ in range(64):
            birth = births[self.ctx.rng.integers(len(births))] if births else None
            if birth is not None and fits(birth):
                break
        else:
            candidates = [b for b in births if fits(b)]
            if not candidates:
                return None
            birth = self.ctx.pick(candidates)
        assert birth is not None
        self.used.add(birth.ref)
        return birth

    def _buyer(
        self, instance_hidden: float, *, region: str, foreign: bool = False
    ) -> tuple[TruePerson, TruePerson, str, str]:
        """A couple who pay for a child: well off, from a wealthy city (or abroad)."""
        ctx = self.ctx
        home: str = ctx.pick(list(WEALTHY_REGENCIES))
        group = ctx.world.group_for(ctx.rng, home[:2])
        return self.care.adopters(
            group=group, religion=None, foreign=foreign, region=region, home_regency=home
        )

    def _record_placed(self, scheme_id: str, placed: Placed, prefix: str) -> None:
        self.member(scheme_id, "relinquishments.csv", placed.relinquishment_ref, f"{prefix}_relinquishment")
        self.member(scheme_id, "people-institution.csv", placed.institution_child_ref, f"{prefix}_child")
