"""Planning the planted schemes before the population is generated: which registrar, institution and
facility each takes, how many units it plants in which chunk, and the benign look-alikes."""

from __future__ import annotations

from datetime import date, timedelta

from jaga.synth.names import full_name
from jaga.synth.scheme_base import Instance, Ring, SchemeBase
from jaga.synth.world import Attendant, Facility, Institution, Official, new_facility


class SchemePlan(SchemeBase):
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
