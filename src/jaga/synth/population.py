"""The legitimate population: mothers, their births at facilities or at home, the facilities' and the
civil registry's records of them, and civil registration with its realistic delays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from jaga.synth.context import Context, TruePerson
from jaga.synth.ids import nik
from jaga.synth.rand import cumulative
from jaga.synth.world import Attendant, Facility

# Age of mothers at a birth, by 5-year group from 15 (Indonesia's age-specific fertility, SDKI 2017).
AGE_GROUP_CUM = cumulative([0.07, 0.22, 0.28, 0.23, 0.14, 0.05, 0.01])
FACILITY_PREFERENCE = {"hospital": 3.0, "puskesmas": 1.2, "clinic": 1.0, "midwife_practice": 0.6}
TWINS = 0.01


@dataclass
class Birth:
    """A birth as it truly happened, with the refs of the records written about it."""

    ref: str
    file: str  # births-facility.csv or births-civil-registry.csv
    mother: TruePerson
    child: TruePerson
    born_on: date
    facility: Facility | None
    attendant: Attendant | None
    mother_ref: str  # the mother's record the birth row names
    child_ref: str  # the child's record the births import creates
    registered_on: date | None = None
    registrar_ref: str | None = None


class Population:
    """Generates mothers and their births; hands chosen births on to the care paths and schemes."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.late_regencies: set[str] = set()
        self.referral: dict[str, Facility] = {}  # province -> referral hospital
        self._facility_cum: dict[str, tuple[list[Facility], list[float]]] = {}

    # --- people -------------------------------------------------------------------------------

    def mother(
        self,
        regency: str | None = None,
        *,
        age_at_first: int | None = None,
        district: str | None = None,
        group: str | None = None,
        with_nik: bool | None = None,
        first_birth: date | None = None,
    ) -> tuple[TruePerson, date]:
        ctx, rng = self.ctx, self.ctx.rng
        if district is None:
            if regency is None:
                regency = ctx.world.random_regency(rng).code
            district = ctx.world.district_in(rng, regency)
        first = first_birth or ctx.day_between(ctx.start, ctx.end)
        if age_at_first is None:
            group_index = rng.weighted(AGE_GROUP_CUM)
            age_at_first = 15 + 5 * group_index + int(rng.integers(0, 5))
        born = first - timedelta(days=int(age_at_first * 365.25) + int(rng.integers(0, 365)))
        if with_nik is None:
            with_nik = bool(rng.random() >= ctx.scenario.population.mother_without_nik)
        father = (
            ctx.person(sex="M", born=None, district=district, group=group) if rng.random() < 0.5 else None
        )
        person = ctx.person(
            sex="F",
            born=born,
            district=district,
            group=group,
            with_nik=with_nik,
            father_name=father.first_name if father else None,
        )
        return person, first

    def birth_dates(self, first: date) -> list[date]:
        rng, end = self.ctx.rng, self.ctx.end
        dates = [first]
        while True:
            gap = 540 + int(rng.gamma(2.0, 300.0))  # 18 months + a wide spread: median near 3 years
            following = dates[-1] + timedelta(days=gap)
            if following > end or len(dates) >= 6:
                return dates
            dates.append(following)

    # --- births -------------------------------------------------------------------------------

    def facility_for(self, mother: TruePerson) -> Facility | None:
        rng, world = self.ctx.rng, self.ctx.world
        if rng.random() < self.ctx.scenario.population.home_birth:
            return None
        province = mother.district[:2]
        referral = self.referral.get(province)
        if referral is not None and referral.regency != mother.district[:4] and rng.random() < 0.04:
            return referral
        regency = mother.district[:4]
        cached = self._facility_cum.get(regency)
        if cached is None:
            local = world.facilities_by_regency.get(regency)
            if not local:  # a mother living outside the scenario's regions gives birth where the scenario is
                local = world.facilities_by_regency[world.regencies[0].code]
            cached = (local, cumulative([FACILITY_PREFERENCE[f.kind] for f in local]))
            self._facility_cum[regency] = cached
        local, cum = cached
        return local[rng.weighted(cum)]

    def add_birth(
        self,
        mother: TruePerson,
        born_on: date,
        order: int,
        *,
        facility: Facility | None,
        attendant: Attendant | None = None,
        register: bool = True,
        skl: bool = True,
    ) -> Birth:
        """Write one birth (and its twin, rarely) with the records each agency keeps of it."""
        ctx, rng = self.ctx, self.ctx.rng
        child = ctx.person(
            sex="F" if rng.random() < 0.485 else "M",
            born=born_on,
            district=mother.district,
            group=mother.group,
            with_nik=False,
            birth_order=order,
        )
        home_region = mother.district
        if facility is None:
            midwife = self._village_midwife(mother)
            attendant = midwife if (midwife is not None and skl) else None
        elif attendant is None:
            attendant = ctx.pick(facility.attendants)
        recorder = facility if facility is not None else (self._facility_of(attendant) if attendant else None)
        if recorder is not None:
            file = "births-facility.csv"
            region = (facility or recorder).district if facility else home_region
            mother_ref = ctx.record(
                mother,
                file="people-facility.csv",
                source="facility",
                source_ref=recorder.ref,
                region=recorder.district[:4],
                role="mother",
            )
        else:
            file = "births-civil-registry.csv"
            region = home_region
            mother_ref = self.civil_record(mother, "mother")
        ref = ctx.refs.ref("B")
        child_ref = ctx.refs.ref("P")
        birth = Birth(ref, file, mother, child, born_on, facility, attendant, mother_ref, child_ref)
        row: dict[str, object] = {
            "ref": ref,
            "child_ref": child_ref,
            "child_name": f"By. Ny. {mother.first_name}"
            if recorder is not None and rng.random() < 0.5
            else None,
            "child_sex": child.sex,
            "mother_ref": mother_ref,
            "born_on": born_on,
            "born_at_time": time(int(rng.integers(0, 24)), int(rng.integers(0, 60))) if recorder else None,
            "birth_weight_g": int(min(5000, max(1200, rng.normal(3100, 450)))) if recorder else None,
            "place_kind": "facility" if facility else "home",
            "place_region_code": None if facility else region,
            "facility_ref": facility.ref if facility else None,
            "attendant_ref": attendant.ref if attendant else None,
            "birth_evidence": "skl" if recorder else ("buku_kia" if rng.random() < 0.5 else "sptjm"),
            "skl_number": f"SKL/{ctx.refs.serial('skl' + recorder.ref):05d}/{born_on.year}"
            if recorder
            else None,
        }
        ctx.out.identity(file, child_ref, child.tid, "child")
        if register:
            self.register(birth, row)
        ctx.out.add(file, row)
        return birth

    def _village_midwife(self, mother: TruePerson) -> Attendant | None:
        local = self.ctx.world.facilities_by_regency.get(mother.district[:4], [])
        puskesmas = [f for f in local if f.kind in ("puskesmas", "midwife_practice")]
        if not puskesmas or self.ctx.rng.random() < 0.4:  # traditional attendant or none: no SKL
            return None
        facility = self.ctx.pick(puskesmas)
        return self.ctx.pick(facility.attendants)

    def _facility_of(self, attendant: Attendant) -> Facility | None:
        for f in self.ctx.world.facilities_by_regency.get(attendant.region, []):
            if f.ref == attendant.facility_ref:
                return f
        return None

    def civil_record(self, person: TruePerson, role: str) -> str:
        regency = person.district[:4]
        return self.ctx.record(
            person,
            file="people-civil-registry.csv",
            source="civil_registry",
            source_ref=regency,
            region=regency,
            role=role,
        )

    # --- civil registration -------------------------------------------------------------------

    def registration_delay(self, regency: str) -> int | None:
        """Days from birth to registration, or None for not (yet) registered."""
        rng, population = self.ctx.rng, self.ctx.scenario.population
        within, late = population.registered_within_60_days, population.registered_late
        if regency in self.late_regencies:  # the benign look-alike: late registration is the norm here
            within, late = 0.15, 0.7
        roll = rng.random()
        if roll < within:
            return int(rng.integers(1, 61))
        if roll < within + late:
            return 61 + int(rng.lognormal(4.6, 1.1))  # median about five months, a long tail of years
        return None

    def register(
        self, birth: Birth, row: dict[str, object], *, delay: int | None = -1, registrar: object | None = None
    ) -> None:
        """Register the birth (akta) and the child's civil-registry record, when and where due."""
        ctx = self.ctx
        regency = birth.mother.district[:4]
        if regency not in ctx.world.registrars:
            return
        if delay == -1:
            delay = self.registration_delay(regency)
        if delay is None:
            return
        registered_on = birth.born_on + timedelta(days=delay)
        if registered_on > ctx.end:
            return
        official = registrar or ctx.pick(ctx.world.registrars[regency])
        akta = f"{regency}-LT-{registered_on:%d%m%Y}-{ctx.refs.serial('akta' + regency):04d}"
        fields = {"akta_number": akta, "registrar_ref": official.ref, "registered_on": registered_on}  # type: ignore[attr-defined]
        if birth.file == "births-civil-registry.csv":
            row.update(fields)
        else:
            ctx.out.add("birth-registrations.csv", {"birth_ref": birth.ref, **fields})
        birth.registered_on, birth.registrar_ref = registered_on, official.ref  # type: ignore[attr-defined]
        child = birth.child
        child.nik = nik(
            birth.mother.district, child.born, child.sex, ctx.refs.serial("nik" + birth.mother.district)
        )
        self.civil_record(child, "child")
        self.civil_record(birth.mother, "mother")  # she is on the family card the child is entered on
