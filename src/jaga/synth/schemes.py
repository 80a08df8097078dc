"""Planted trafficking schemes and their benign look-alikes, with every member written to `truth/`.

Schemes are planned before the population is generated (which facility, which registrar, how many
babies) and executed inside the population's chunks, so their records sit at random places in the
files, with refs like any other: nothing but `truth/` tells them apart.

The rings and instances and the shared helpers are in `scheme_base`, the planning in `scheme_plan`; this
module executes each planned unit (`run_chunk`).
"""

from __future__ import annotations

from datetime import date, timedelta

from jaga.synth.context import TruePerson
from jaga.synth.names import full_name
from jaga.synth.population import Birth
from jaga.synth.scheme_base import Instance, Ring
from jaga.synth.scheme_plan import SchemePlan
from jaga.synth.world import Institution, Official

__all__ = ["Instance", "Ring", "Schemes"]


class Schemes(SchemePlan):
    # --- execution ----------------------------------------------------------------------------

    def run_chunk(self, chunk: int, births: list[Birth]) -> None:
        for unit_chunk, kind, index in self.units:
            if unit_chunk != chunk:
                continue
            done = getattr(self, "_" + kind)(index, births)
            if done:
                self.planted[kind] = self.planted.get(kind, 0) + 1

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
