"""Planted trafficking schemes and their benign look-alikes, with every member written to `truth/`.

Schemes are planned before the population is generated (which facility, which registrar, how many
babies) and executed inside the population's chunks, so their records sit at random places in the
files, with refs like any other: nothing but `truth/` tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from jaga.synth.care import CarePaths, Placed
from jaga.synth.context import Context, TruePerson
from jaga.synth.names import full_name
from jaga.synth.population import Birth, Population
from jaga.synth.world import WEALTHY_REGENCIES, Attendant, Facility, Institution, Official, new_facility


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


class Schemes:
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

    # --- planning -----------------------------------------------------------------------------

    def plan(self, chunks: int) -> None:
        ctx, rng, config = self.ctx, self.ctx.rng, self.ctx.scenario.schemes
        world = ctx.world
        registrars = [o for officials in world.registrars.values() for o in officials]

        corrupt: list[Official] = []
        for i in range(config.corrupt_registrar.count):
            official: Official = ctx.pick(registrars)
            scheme_id = self._scheme(
                "corrupt_registrar",
                i,
                config.corrupt_registrar.hidden,
                f"registrar {official.ref} signs suspicious registrations",
            )
            self.member(scheme_id, "officials.csv", official.ref, "corrupt_registrar")
            self.instances.setdefault("corrupt_registrar", []).append(
                Instance(scheme_id, "corrupt_registrar", config.corrupt_registrar.hidden, registrar=official)
            )
            corrupt.append(official)
            low, high = config.corrupt_registrar.registrations
            self._units(chunks, "suspicious_registration", i, int(rng.integers(low, high + 1)))

        fakes: list[Institution] = []
        for i in range(config.fake_institution.count):
            institution = self._fake_institution(rng.random() < config.fake_institution.lapsed_share)
            scheme_id = self._scheme(
                "fake_institution",
                i,
                config.fake_institution.hidden,
                f"institution {institution.ref} takes in babies with "
                f"{'a lapsed' if institution.licence else 'no'} licence",
            )
            self.member(scheme_id, "institutions.csv", institution.ref, "fake_institution")
            self.instances.setdefault("fake_institution", []).append(
                Instance(
                    scheme_id, "fake_institution", config.fake_institution.hidden, institution=institution
                )
            )
            fakes.append(institution)
            low, high = config.fake_institution.children
            self._units(chunks, "fake_intake", i, int(rng.integers(low, high + 1)))

        ring_config = config.clinic_ring
        for i in range(ring_config.count):
            facility = self._ring_facility()
            attendants = list(facility.attendants[: ring_config.attendants])
            while len(attendants) < ring_config.attendants:
                extra = Attendant(
                    ctx.refs.ref("A"),
                    "Bidan " + full_name(rng, "javanese", "F"),
                    "midwife",
                    f"STR-{ctx.refs.serial('str'):07d}",
                    facility.ref,
                    facility.regency,
                )
                facility.attendants.append(extra)
                attendants.append(extra)
            ring = Ring(
                "",
                facility,
                attendants,
                fakes[i] if i < len(fakes) else None,
                corrupt[i] if i < len(corrupt) else None,
                ring_config.hidden,
                self.care.witnesses(),
            )
            ring.scheme_id = self._scheme(
                "clinic_ring", i, ring_config.hidden, f"ring around facility {facility.ref}"
            )
            self.member(ring.scheme_id, "facilities.csv", facility.ref, "ring_facility")
            for attendant in attendants:
                self.member(ring.scheme_id, "attendants.csv", attendant.ref, "ring_attendant")
            if ring.institution:
                self.member(ring.scheme_id, "institutions.csv", ring.institution.ref, "ring_institution")
            if ring.registrar:
                self.member(ring.scheme_id, "officials.csv", ring.registrar.ref, "ring_registrar")
            self.rings.append(ring)
            low, high = ring_config.babies
            self._units(chunks, "ring_baby", i, int(rng.integers(low, high + 1)))

        for i in range(config.falsified_certificates.count):
            registrar = corrupt[i % len(corrupt)] if corrupt else ctx.pick(registrars)
            scheme_id = self._scheme(
                "falsified_certificates",
                i,
                config.falsified_certificates.hidden,
                "births registered with a buyer as the mother",
            )
            self.instances.setdefault("falsified_certificates", []).append(
                Instance(
                    scheme_id,
                    "falsified_certificates",
                    config.falsified_certificates.hidden,
                    registrar=registrar,
                )
            )
            low, high = config.falsified_certificates.certificates
            self._units(chunks, "falsified", i, int(rng.integers(low, high + 1)))

        for i in range(config.intercountry_skip.count):
            scheme_id = self._scheme(
                "intercountry_skip",
                i,
                config.intercountry_skip.hidden,
                "children placed abroad before the permit and the court",
            )
            self.instances.setdefault("intercountry_skip", []).append(
                Instance(scheme_id, "intercountry_skip", config.intercountry_skip.hidden)
            )
            low, high = config.intercountry_skip.children
            self._units(chunks, "intercountry_skip", i, int(rng.integers(low, high + 1)))

        for i in range(config.missing_reappears.count):
            scheme_id = self._scheme(
                "missing_reappears",
                i,
                config.missing_reappears.hidden,
                "a missing child taken in and placed elsewhere",
            )
            self.instances.setdefault("missing_reappears", []).append(
                Instance(scheme_id, "missing_reappears", config.missing_reappears.hidden)
            )
            self._units(chunks, "missing_reappears", i, 1)

        self._plan_lookalikes()

    def _units(self, chunks: int, kind: str, index: int, count: int) -> None:
        for _ in range(count):
            self.units.append((int(self.ctx.rng.integers(chunks)), kind, index))

    def _ring_facility(self) -> Facility:
        """A clinic or midwife practice (a new one where the region has none left to take)."""
        ctx = self.ctx
        taken = {r.facility.ref for r in self.rings}
        options = [
            f for f in ctx.world.facilities if f.kind in ("clinic", "midwife_practice") and f.ref not in taken
        ]
        if options:
            return ctx.pick(options)
        regency = ctx.world.random_regency(ctx.rng)
        facility = new_facility(ctx.rng, ctx.refs, "clinic", ctx.world.districts, regency)
        ctx.world.facilities.append(facility)
        ctx.world.facilities_by_regency[regency.code].append(facility)
        return facility

    def _fake_institution(self, lapsed: bool) -> Institution:
        ctx, rng = self.ctx, self.ctx.rng
        regency = ctx.world.regencies[int(rng.integers(len(ctx.world.regencies)))]
        district = ctx.world.district_in(rng, regency.code)
        first = ctx.pick(["Anak", "Kasih", "Cahaya", "Harapan"])
        name = f"Yayasan {first} {ctx.pick(['Bangsa', 'Bunda', 'Mulia', 'Ceria'])}"
        start = date(2015, 1, 1) + timedelta(days=int(rng.integers(0, 900)))
        institution = Institution(
            ctx.refs.ref("I"),
            name,
            "adoption_foundation",
            district,
            f"{regency.code[:2]}/LKSA/{ctx.refs.serial('lksa'):05d}" if lapsed else None,
            "Dinas Sosial Provinsi" if lapsed else None,
            start if lapsed else None,
            date(2019, 12, 31) if lapsed else None,
            "active" if lapsed else "none",
            f"AHU-{ctx.refs.serial('ahu'):07d}.AH.01.04",
        )
        ctx.world.institutions.append(institution)
        return institution

    def _plan_lookalikes(self) -> None:
        ctx, rng, config = self.ctx, self.ctx.rng, self.ctx.scenario.lookalikes
        provinces = sorted(
            {r.code[:2] for r in ctx.world.regencies},
            key=lambda p: (
                -sum(
                    w
                    for r, w in zip(ctx.world.regencies, ctx.world.regency_weights, strict=True)
                    if r.code[:2] == p
                )
            ),
        )
        ring_refs = {r.facility.ref for r in self.rings}
        for i in range(min(config.referral_hospitals, len(provinces))):
            province = provinces[i]
            hospitals = [
                f
                for f in ctx.world.facilities
                if f.kind == "hospital" and f.district[:2] == province and f.ref not in ring_refs
            ]
            if not hospitals:
                continue
            hospital = max(hospitals, key=lambda f: len(f.attendants))
            self.population.referral[province] = hospital
            lookalike = f"L{i + 1:02d}"
            ctx.out.truth(
                "lookalikes.csv",
                lookalike,
                "referral_hospital",
                "facilities.csv",
                hospital.ref,
                "referral hospital: many relinquishments, legitimately",
            )
        chosen = [r.code for r in ctx.world.regencies if r.code[:2] in ("95", "94", "93", "91")]
        chosen = chosen or [r.code for r in ctx.world.regencies]
        corrupt = {i.registrar.ref for i in self.instances.get("corrupt_registrar", []) if i.registrar}
        for j in range(min(config.late_registration_regions, len(chosen))):
            regency = chosen[int(rng.integers(len(chosen)))]
            self.population.late_regencies.add(regency)
            for official in ctx.world.registrars[regency]:
                if official.ref in corrupt:
                    continue
                ctx.out.truth(
                    "lookalikes.csv",
                    f"L{10 + j:02d}",
                    "late_registration_region",
                    "officials.csv",
                    official.ref,
                    f"registrar in {regency}, where most registrations are late",
                )

    # --- execution ----------------------------------------------------------------------------

    def run_chunk(self, chunk: int, births: list[Birth]) -> None:
        for unit_chunk, kind, index in self.units:
            if unit_chunk != chunk:
                continue
            done = getattr(self, "_" + kind)(index, births)
            if done:
                self.planted[kind] = self.planted.get(kind, 0) + 1

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

    def _ring_baby(self, index: int, births: list[Birth]) -> bool:
        ctx, rng = self.ctx, self.ctx.rng
        ring = self.rings[index]
        config = ctx.scenario.schemes.clinic_ring
        h = ring.hidden
        facility = ring.facility
        out_of_area = rng.random() < config.out_of_area * (1 - 0.5 * h)
        if out_of_area:
            others = [r for r in ctx.world.all_regencies if r.code[:2] != facility.district[:2]]
            home = ctx.world.district_in(rng, ctx.pick(others).code)
        else:
            home = ctx.world.district_in(rng, facility.regency)
        born_on = ctx.day_between(ctx.start, ctx.end - timedelta(days=60))
        mother, _ = self.population.mother(
            district=home,
            age_at_first=int(rng.integers(16, 25 + int(8 * h))),
            with_nik=rng.random() < 0.6,
            first_birth=born_on,
        )
        attendant = (
            ctx.pick(ring.attendants) if rng.random() < 0.95 - 0.3 * h else ctx.pick(facility.attendants)
        )
        birth = self.population.add_birth(
            mother,
            born_on,
            1,
            facility=facility,
            attendant=attendant,
            register=False,
        )
        sid = ring.scheme_id
        self.member(sid, "people-facility.csv", birth.mother_ref, "ring_mother")
        self.member(sid, "births-facility.csv", birth.ref, "ring_birth")
        on = born_on + timedelta(days=int(rng.integers(1, 8 + int(30 * h))))
        via = ring.institution if rng.random() < config.via_institution else None
        placed = self.care.relinquish(birth, via, on, counselled=rng.random() < h, witnesses=ring.witnesses)
        self._record_placed(sid, placed, "ring")
        buyer = self._buyer(
            h, region=(via.district[:4] if via else facility.regency), foreign=rng.random() < 0.15
        )
        self.member(sid, "people-social-service.csv", buyer[2], "buyer")
        self.member(sid, "people-social-service.csv", buyer[3], "buyer")
        handed = on + timedelta(days=int(rng.integers(2, 21 + int(60 * h))))
        region = via.district[:4] if via else facility.regency
        assert placed.institution_child_ref is not None
        if via is not None:
            ref = self.care.place(
                placed.institution_child_ref, "institution", on, end=handed, institution=via, region=region
            )
            self.member(sid, "placements.csv", ref, "ring_placement")
        case_ref = None
        if rng.random() < 0.5 and handed <= ctx.end:
            case = self.care.adopt(
                placed.institution_child_ref,
                birth.child,
                via,
                handed,
                foreign=buyer[0].nationality != "IDN",
                adopters=buyer,
                region=region,
                last_step="application" if rng.random() > h else "eligibility_check",
            )
            case_ref = case.case_ref
            self.member(sid, "adoption-cases.csv", case_ref, "ring_case")
        if handed <= ctx.end:
            ref = self.care.place(
                placed.institution_child_ref,
                "prospective_adopters",
                handed,
                carer_ref=buyer[2],
                case_ref=case_ref,
                region=region,
            )
            self.member(sid, "placements.csv", ref, "ring_placement")
        if rng.random() < config.falsified_registration:
            self._falsify(sid, birth, buyer, ring.registrar, h)
        return True

    def _record_placed(self, scheme_id: str, placed: Placed, prefix: str) -> None:
        self.member(scheme_id, "relinquishments.csv", placed.relinquishment_ref, f"{prefix}_relinquishment")
        self.member(scheme_id, "people-institution.csv", placed.institution_child_ref, f"{prefix}_child")

    def _falsify(
        self,
        scheme_id: str,
        birth: Birth,
        buyer: tuple[TruePerson, TruePerson, str, str],
        registrar: Official | None,
        h: float,
    ) -> bool:
        """Register `birth`'s child as the buyer's own: SPTJM, no facility, late, far from home."""
        ctx, rng = self.ctx, self.ctx.rng
        _husband, wife, _, _ = buyer
        if wife.born is None or wife.nationality != "IDN":
            return False
        registrar = registrar or ctx.pick([o for os in ctx.world.registrars.values() for o in os])
        assert registrar is not None
        wife_ref = self.population.civil_record(wife, "mother")
        shifted = birth.born_on + timedelta(days=int(rng.integers(0, 4 + int(10 * h))))
        delay = 61 + int(rng.integers(0, int(640 * (1 - h)) + 60))
        registered_on = shifted + timedelta(days=delay)
        if registered_on > ctx.end:  # not registered (yet) within the window
            return False
        new_name = full_name(rng, wife.group, birth.child.sex)
        child_civil = ctx.record(
            birth.child,
            file="people-civil-registry.csv",
            source="civil_registry",
            source_ref=registrar.region,
            region=registrar.region,
            role="child",
            name=new_name,
            known_born=shifted,
        )
        ref, child_ref = ctx.refs.ref("B"), ctx.refs.ref("P")
        regency = registrar.region
        ctx.out.add(
            "births-civil-registry.csv",
            {
                "ref": ref,
                "child_ref": child_ref,
                "child_name": new_name,
                "child_sex": birth.child.sex,
                "mother_ref": wife_ref,
                "born_on": shifted,
                "place_kind": "home",
                "place_region_code": wife.district,
                "birth_evidence": "sptjm",
                "akta_number": f"{regency}-LT-{registered_on:%d%m%Y}-{ctx.refs.serial('akta' + regency):04d}",
                "registrar_ref": registrar.ref,
                "registered_on": registered_on,
            },
        )
        self.member(scheme_id, "births-civil-registry.csv", ref, "falsified_birth")
        self.member(scheme_id, "people-civil-registry.csv", wife_ref, "buyer_as_mother")
        self.member(scheme_id, "people-civil-registry.csv", child_civil, "falsified_child")
        self.member(scheme_id, "births-civil-registry.csv", child_ref, "falsified_child")
        ctx.out.identity("births-civil-registry.csv", child_ref, birth.child.tid, "child")
        return True

    def _falsified(self, index: int, births: list[Birth]) -> bool:
        rng = self.ctx.rng
        instance = self.instances["falsified_certificates"][index]
        birth = self._base_birth(births, registered=False, facility=True, days_left=720)
        if birth is None:
            return False
        h = instance.hidden
        if instance.buyers and rng.random() < 0.4:  # the same "mother" again, months later: impossible
            buyer = instance.buyers[-1]
        else:
            buyer = self._buyer(h, region=instance.registrar.region if instance.registrar else "31")
            wife = buyer[1]
            if rng.random() < 0.6 * (1 - h) + 0.2 and wife.born is not None:  # too old to have given birth
                wife.born = birth.born_on - timedelta(days=int(365.25 * rng.integers(45, 58)))
            instance.buyers.append(buyer)
        if not self._falsify(instance.scheme_id, birth, buyer, instance.registrar, h):
            self.used.discard(birth.ref)
            return False
        self.member(instance.scheme_id, "births-facility.csv", birth.ref, "true_birth")
        return True

    def _suspicious_registration(self, index: int, births: list[Birth]) -> bool:
        ctx, rng = self.ctx, self.ctx.rng
        instance = self.instances["corrupt_registrar"][index]
        registrar = instance.registrar
        assert registrar is not None
        far = [r for r in ctx.world.all_regencies if r.code[:2] != registrar.region[:2]]
        home = ctx.world.district_in(rng, ctx.pick(far).code)
        born_on = ctx.day_between(ctx.start, ctx.end - timedelta(days=200))
        mother, _ = self.population.mother(district=home, first_birth=born_on)
        regency = registrar.region
        mother_ref = self.population.civil_record(mother, "mother")
        child = ctx.person(
            sex="F" if rng.random() < 0.5 else "M",
            born=born_on,
            district=home,
            group=mother.group,
            with_nik=False,
        )
        registered_on = min(ctx.end, born_on + timedelta(days=120 + int(rng.integers(0, 700))))
        ref, child_ref = ctx.refs.ref("B"), ctx.refs.ref("P")
        ctx.out.add(
            "births-civil-registry.csv",
            {
                "ref": ref,
                "child_ref": child_ref,
                "child_name": child.name,
                "child_sex": child.sex,
                "mother_ref": mother_ref,
                "born_on": born_on,
                "place_kind": "home",
                "place_region_code": home,
                "birth_evidence": "sptjm",
                "akta_number": f"{regency}-LT-{registered_on:%d%m%Y}-{ctx.refs.serial('akta' + regency):04d}",
                "registrar_ref": registrar.ref,
                "registered_on": registered_on,
            },
        )
        ctx.out.identity("births-civil-registry.csv", child_ref, child.tid, "child")
        self.member(instance.scheme_id, "births-civil-registry.csv", ref, "suspicious_registration")
        return True

    def _fake_intake(self, index: int, births: list[Birth]) -> bool:
        ctx, rng = self.ctx, self.ctx.rng
        instance = self.instances["fake_institution"][index]
        institution = instance.institution
        assert institution is not None
        birth = self._base_birth(births, days_left=200)
        if birth is None:
            return False
        h = instance.hidden
        on = birth.born_on + timedelta(days=int(rng.integers(3, 30 + int(90 * h))))
        if on > ctx.end:
            on = ctx.end
        placed = self.care.relinquish(birth, institution, on, counselled=rng.random() < 0.3 + 0.5 * h)
        self._record_placed(instance.scheme_id, placed, "fake_institution")
        assert placed.institution_child_ref is not None
        region = institution.district[:4]
        handed = on + timedelta(days=int(rng.integers(7, 45 + int(90 * h))))
        ref = self.care.place(
            placed.institution_child_ref,
            "institution",
            on,
            end=handed,
            institution=institution,
            region=region,
        )
        self.member(instance.scheme_id, "placements.csv", ref, "fake_institution_placement")
        if handed <= ctx.end:
            buyer = self._buyer(h, region=region)
            ref = self.care.place(
                placed.institution_child_ref,
                "prospective_adopters",
                handed,
                carer_ref=buyer[2],
                region=region,
            )
            self.member(instance.scheme_id, "placements.csv", ref, "fake_institution_placement")
            self.member(instance.scheme_id, "people-social-service.csv", buyer[2], "buyer")
        return True

    def _intercountry_skip(self, index: int, births: list[Birth]) -> bool:
        ctx, rng = self.ctx, self.ctx.rng
        instance = self.instances["intercountry_skip"][index]
        birth = self._base_birth(births, days_left=220)
        if birth is None:
            return False
        on = birth.born_on + timedelta(days=int(rng.integers(5, 60)))
        options = ctx.world.institutions_in(birth.mother.district[:2], on)
        if on > ctx.end - timedelta(days=150) or not options:
            return False
        institution: Institution = ctx.pick(options)
        placed = self.care.relinquish(birth, institution, on)
        self._record_placed(instance.scheme_id, placed, "skip")
        assert placed.institution_child_ref is not None
        region = institution.district[:4]
        opened = on + timedelta(days=int(rng.integers(20, 90)))
        adopters = self.care.adopters(
            group=birth.child.group, religion=birth.child.religion, foreign=True, region=region
        )
        last = "eligibility_check" if instance.hidden > 0.5 else "residence_verification"
        case = self.care.adopt(
            placed.institution_child_ref,
            birth.child,
            institution,
            opened,
            foreign=True,
            adopters=adopters,
            last_step=last,
        )
        abroad = opened + timedelta(days=int(rng.integers(10, 60)))
        self.care.place(
            placed.institution_child_ref,
            "institution",
            on,
            end=abroad,
            institution=institution,
            region=region,
        )
        ref = self.care.place(
            placed.institution_child_ref,
            "prospective_adopters",
            abroad,
            carer_ref=adopters[2],
            case_ref=case.case_ref,
            region=region,
        )
        self.member(instance.scheme_id, "adoption-cases.csv", case.case_ref, "skipping_case")
        self.member(instance.scheme_id, "placements.csv", ref, "placement_abroad")
        return True

    def _missing_reappears(self, index: int, births: list[Birth]) -> bool:
        ctx, rng = self.ctx, self.ctx.rng
        instance = self.instances["missing_reappears"][index]
        birth = self._base_birth(births, registered=True, days_left=1000)
        if birth is None:
            return False
        last_seen = birth.born_on + timedelta(days=int(rng.integers(60, 700)))
        reappears = last_seen + timedelta(days=int(rng.integers(20, 300)))
        if reappears > ctx.end:
            return False
        report_ref, police_child = self.care.report_missing(birth, last_seen, found=False)
        sid = instance.scheme_id
        self.member(sid, "missing-reports.csv", report_ref, "missing_report")
        self.member(sid, "people-police.csv", police_child, "missing_child")
        # sorted: a set's order changes with each process's string hashing, and the pick must not
        provinces = sorted({i.district[:2] for i in ctx.world.institutions})
        far = [p for p in provinces if p != birth.mother.district[:2]]
        province = ctx.pick(far) if far else birth.mother.district[:2]
        options = ctx.world.institutions_in(province, reappears)
        institution: Institution = ctx.pick(options)
        trafficker = ctx.person(
            sex="F",
            born=date(1985, 1, 1) + timedelta(days=int(rng.integers(0, 5000))),
            district=institution.district,
        )
        new_name = full_name(rng, ctx.world.group_for(rng, institution.district[:2]), birth.child.sex)
        placed = self.care.relinquish(birth, institution, reappears, mother=trafficker, child_name=new_name)
        self._record_placed(sid, placed, "reappeared")
        self.member(
            sid,
            "people-institution.csv",
            trafficker.records.get(f"institution:{institution.ref}"),
            "false_mother",
        )
        assert placed.institution_child_ref is not None
        self.care.place(
            placed.institution_child_ref,
            "institution",
            reappears,
            institution=institution,
            region=institution.district[:4],
        )
        return True

    def scheme_counts(self) -> dict[str, int]:
        return dict(sorted(self.planted.items()))
