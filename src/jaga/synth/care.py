"""What happens to some children after birth, legitimately: relinquishment to a licensed institution,
then (often) an adoption that takes every legal step at its legal pace; and missing-child reports, most
of them resolved. The schemes reuse these paths and bend them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from jaga.regions import load_directory
from jaga.registry import TEMPORARY_CARE_MONTHS, add_months
from jaga.synth.context import Context, TruePerson
from jaga.synth.names import full_name
from jaga.synth.population import Birth
from jaga.synth.world import FOREIGN, WEALTHY_REGENCIES, Institution

STEP_FILES = {
    "court_ruling": "adoption-steps-2-court.csv",
    "civil_registry_annotation": "adoption-steps-3-registrar.csv",
    "post_adoption_report": "adoption-steps-4-social.csv",
}


@dataclass
class Placed:
    """The refs of a child's path through care, for the schemes to build on and truth to name."""

    institution_child_ref: str | None = None
    relinquishment_ref: str | None = None
    placement_refs: list[str] = field(default_factory=list)
    case_ref: str | None = None
    adopter: TruePerson | None = None
    care_start: date | None = None  # temporary care with the adopters began (the institution stay ends)


class CarePaths:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    # --- records ------------------------------------------------------------------------------

    def institution_records(
        self,
        institution: Institution,
        mother: TruePerson | None,
        child: TruePerson,
        child_name: str | None = None,
    ) -> tuple[str | None, str]:
        regency = institution.district[:4]
        mother_ref = None
        if mother is not None:
            mother_ref = self.ctx.record(
                mother,
                file="people-institution.csv",
                source="institution",
                source_ref=institution.ref,
                region=regency,
                role="mother",
            )
        child_ref = self.ctx.record(
            child,
            file="people-institution.csv",
            source="institution",
            source_ref=institution.ref,
            region=regency,
            role="child",
            name=child_name if child_name is not None else child.name,
        )
        return mother_ref, child_ref

    def witnesses(self) -> dict[str, str]:
        rng = self.ctx.rng
        names = [full_name(rng, "javanese", "M"), full_name(rng, "javanese", "F")]
        return {"witness_1_name": names[0], "witness_2_name": names[1]}

    def relinquish(
        self,
        birth: Birth,
        institution: Institution | None,
        on: date,
        *,
        counselled: bool = True,
        witnesses: dict[str, str] | None = None,
        child_name: str | None = None,
        mother: TruePerson | None = None,
    ) -> Placed:
        """The mother signs the child over; with an institution, the child is placed there."""
        ctx = self.ctx
        mother = mother or birth.mother
        placed = Placed()
        if institution is not None:
            mother_ref, child_ref = self.institution_records(institution, mother, birth.child, child_name)
            region = institution.district[:4]
        else:  # handed over directly: the social service's records
            region = mother.district[:4]
            mother_ref = ctx.record(
                mother,
                file="people-social-service.csv",
                source="social_service",
                source_ref=region[:2],
                region=region,
                role="mother",
            )
            child_ref = ctx.record(
                birth.child,
                file="people-social-service.csv",
                source="social_service",
                source_ref=region[:2],
                region=region,
                role="child",
                name=child_name if child_name is not None else birth.child.name,
            )
        assert mother_ref is not None
        counsellor = ctx.world.official(ctx.rng, "social_worker", region)
        ref = ctx.refs.ref("R")
        ctx.out.add(
            "relinquishments.csv",
            {
                "ref": ref,
                "mother_ref": mother_ref,
                "child_ref": child_ref,
                "occurred_on": on,
                "institution_ref": institution.ref if institution else None,
                "counselled_on": max(birth.born_on, on - timedelta(days=int(ctx.rng.integers(1, 15))))
                if counselled
                else None,
                "counsellor_ref": counsellor.ref if counselled else None,
                "counselling_record": f"KONS/{ctx.refs.serial('kons'):05d}/{on.year}" if counselled else None,
                "consent_document": f"SP/{ctx.refs.serial('sp'):05d}/{on.year}",
                **(witnesses or self.witnesses()),
                "region_code": region,
            },
        )
        placed.institution_child_ref, placed.relinquishment_ref = child_ref, ref
        return placed

    def place(
        self,
        child_ref: str,
        kind: str,
        start: date,
        *,
        end: date | None = None,
        institution: Institution | None = None,
        carer_ref: str | None = None,
        case_ref: str | None = None,
        region: str,
    ) -> str:
        ref = self.ctx.refs.ref("L")
        self.ctx.out.add(
            "placements.csv",
            {
                "ref": ref,
                "child_ref": child_ref,
                "kind": kind,
                "institution_ref": institution.ref if institution else None,
                "carer_ref": carer_ref,
                "adoption_case_ref": case_ref,
                "from_date": start,
                "to_date": end if end is not None and end <= self.ctx.end else None,
                "region_code": region,
            },
        )
        return ref

    # --- adoption -----------------------------------------------------------------------------

    def adopters(
        self, *, group: str, religion: str | None, foreign: bool, region: str, home_regency: str | None = None
    ) -> tuple[TruePerson, TruePerson, str, str]:
        """A married couple (30-50), same religion as the child where the law requires it."""
        ctx, rng = self.ctx, self.ctx.rng
        regency = home_regency or ctx.pick(list(WEALTHY_REGENCIES))
        district = ctx.world.district_in(rng, regency)
        nationality = ctx.pick(list(FOREIGN)) if foreign else "IDN"
        husband_born = date(1975, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 15)))
        husband = ctx.person(
            sex="M", born=husband_born, district=district, group=group, nationality=nationality
        )
        wife = ctx.person(
            sex="F",
            born=husband_born + timedelta(days=int(rng.integers(-1500, 1500))),
            district=district,
            group=group,
            nationality=nationality,
        )
        wife.religion = husband.religion = religion or husband.religion
        source_ref = region[:2]
        husband_ref = ctx.record(
            husband,
            file="people-social-service.csv",
            source="social_service",
            source_ref=source_ref,
            region=region,
            role="adopter",
        )
        wife_ref = ctx.record(
            wife,
            file="people-social-service.csv",
            source="social_service",
            source_ref=source_ref,
            region=region,
            role="adopter",
        )
        return husband, wife, husband_ref, wife_ref

    def adopt(
        self,
        child_ref: str,
        child: TruePerson,
        institution: Institution | None,
        opened: date,
        *,
        foreign: bool = False,
        adopters: tuple[TruePerson, TruePerson, str, str] | None = None,
        last_step: str | None = None,
        region: str | None = None,
    ) -> Placed:
        """A case that takes each legal step at its legal pace (or stops after `last_step`)."""
        ctx, rng = self.ctx, self.ctx.rng
        region = region or (institution.district[:4] if institution else child.district[:4])
        husband, _wife, husband_ref, wife_ref = adopters or self.adopters(
            group=child.group, religion=child.religion, foreign=foreign, region=region
        )
        social = ctx.world.official(ctx.rng, "social_worker", region)
        case_ref = ctx.refs.ref("C")
        ctx.out.add(
            "adoption-cases.csv",
            {
                "ref": case_ref,
                "child_ref": child_ref,
                "kind": "intercountry" if foreign else "domestic",
                "adopter_ref": husband_ref,
                "co_adopter_ref": wife_ref,
                "institution_ref": institution.ref if institution else None,
                "region_code": region,
                "applied_on": opened,
                "documents": f"application=PERM/{ctx.refs.serial('perm'):05d}/{opened.year}",
                "official_ref": social.ref,
            },
        )
        placed = Placed(case_ref=case_ref, adopter=husband)
        day = opened
        plan: list[
            tuple[str, int, str | None, str | None]
        ] = []  # step, days after previous, outcome, document
        if foreign:
            plan.append(
                (
                    "residence_verification",
                    int(rng.integers(15, 45)),
                    None,
                    "residence_permit+police_clearance",
                )
            )
        plan += [
            ("eligibility_check", int(rng.integers(20, 60)), "passed", None),
            ("home_study", int(rng.integers(20, 60)), None, "home_study_report"),
            ("temporary_care", int(rng.integers(10, 40)), None, "care_permit"),
            ("recommendation", -1, "passed", "pipa_recommendation"),
        ]
        if foreign:
            plan.append(("ministerial_permit", int(rng.integers(30, 90)), None, "ministerial_permit"))
        plan += [
            ("court_ruling", int(rng.integers(30, 120)), "granted", "court_ruling"),
            ("civil_registry_annotation", int(rng.integers(5, 30)), None, "akta_annotation"),
        ]
        plan += [("post_adoption_report", 365, None, "report") for _ in range(4)]
        if last_step == "application":  # the case stops at its application
            plan = []
        for step, gap, outcome, document in plan:
            if gap < 0:  # six calendar months of temporary care, then the panel's own delay
                day = add_months(day, TEMPORARY_CARE_MONTHS) + timedelta(days=int(rng.integers(0, 90)))
            else:
                day = day + timedelta(days=gap)
            if day > ctx.end:
                break
            self.step(case_ref, step, day, outcome, document, region)
            if step == "temporary_care":
                placed.care_start = day
                placed.placement_refs.append(
                    self.place(
                        child_ref,
                        "prospective_adopters",
                        day,
                        carer_ref=husband_ref,
                        case_ref=case_ref,
                        region=region,
                    )
                )
            if step == last_step:
                break
        return placed

    def step(
        self, case_ref: str, step: str, day: date, outcome: str | None, document: str | None, region: str
    ) -> None:
        ctx = self.ctx
        documents = None
        if document:
            documents = "; ".join(
                f"{kind}={kind.upper()[:4]}/{ctx.refs.serial(kind):05d}/{day.year}"
                for kind in document.split("+")
            )
        official = None
        if step == "court_ruling":
            official = ctx.world.official(ctx.rng, "court_clerk", region)
        elif step == "civil_registry_annotation":
            official = ctx.world.official(ctx.rng, "registrar", region)
        ctx.out.add(
            STEP_FILES.get(step, "adoption-steps-1-social.csv"),
            {
                "case_ref": case_ref,
                "step": step,
                "occurred_on": day,
                "outcome": outcome,
                "documents": documents,
                "official_ref": official.ref if official else None,
            },
        )

    # --- legitimate paths ---------------------------------------------------------------------

    def legitimate_relinquishment(self, birth: Birth) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        on = birth.born_on + timedelta(days=int(rng.integers(1, 90)))
        if on > ctx.end:
            return
        options = ctx.world.institutions_in(birth.mother.district[:2], on)
        if not options:
            return
        institution: Institution = ctx.pick(options)
        placed = self.relinquish(birth, institution, on)
        assert placed.institution_child_ref is not None
        region = institution.district[:4]
        adopted = rng.random() < ctx.scenario.population.adoption_after_relinquishment
        opened = on + timedelta(days=int(rng.integers(30, 180)))
        if not adopted or opened > ctx.end:
            self.place(
                placed.institution_child_ref, "institution", on, institution=institution, region=region
            )
            return
        foreign = rng.random() < ctx.scenario.population.intercountry_share
        result = self.adopt(placed.institution_child_ref, birth.child, institution, opened, foreign=foreign)
        self.place(
            placed.institution_child_ref,
            "institution",
            on,
            end=result.care_start,
            institution=institution,
            region=region,
        )

    def legitimate_missing(self, birth: Birth) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        last_seen = birth.born_on + timedelta(days=int(rng.integers(30, 1500)))
        if last_seen > ctx.end:
            return
        self.report_missing(birth, last_seen, found=rng.random() < 0.85)

    def report_missing(self, birth: Birth, last_seen: date, *, found: bool) -> tuple[str, str]:
        ctx = self.ctx
        regency = birth.mother.district[:4]
        child_ref = ctx.record(
            birth.child,
            file="people-police.csv",
            source="police",
            source_ref=regency,
            region=regency,
            role="child",
            born_not_after=last_seen,
        )
        reporter_ref = ctx.record(
            birth.mother,
            file="people-police.csv",
            source="police",
            source_ref=regency,
            region=regency,
            role="reporter",
        )
        ref = ctx.refs.ref("M")
        regency_name = load_directory().require(regency).name.removeprefix("Kab. ").removeprefix("Kota ")
        ctx.out.add(
            "missing-reports.csv",
            {
                "ref": ref,
                "child_ref": child_ref,
                "reporter_ref": reporter_ref,
                "report_number": f"LP/B/{ctx.refs.serial('lp' + regency):04d}/{last_seen.year}/{regency}",
                "police_unit": f"Unit PPA Polres {regency_name}",
                "last_seen_on": last_seen,
                "last_seen_region_code": birth.mother.district,
                "status": "found" if found else "open",
                "region_code": regency,
            },
        )
        return ref, child_ref
