"""The records one life event leaves: a birth, its registration, a relinquishment, a placement, an
adoption case and its steps, a missing-child report. Benign and planted events use the same writers, so
that only what the scheme changes tells them apart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from jaga.altgen.scenarios.world import END, Facility, Mother, World


@dataclass
class Baby:
    birth_ref: str
    child_ref: str
    sex: str
    born_on: date
    mother: Mother
    regency: str  # where the birth was recorded
    name: str  # the given name the family chose (facility records often say "By. Ny. ...")
    nik: str | None = None


def facility_birth(
    world: World, mother: Mother, facility: Facility, born_on: date, *, attendant: str | None = None
) -> Baby:
    rng = world.rng
    sex = rng.choice("MF")
    mother_ref = world.facility_mother(mother, facility)
    child_ref, birth_ref = world.ref("P"), world.ref("B")
    given = mother.name.given[0] if mother.name.given else mother.name.full.split()[0]
    world.rows["births-facility.csv"].append(
        {
            "ref": birth_ref,
            "child_ref": child_ref,
            "child_name": f"By. Ny. {given}" if rng.random() < 0.7 else None,
            "child_sex": sex,
            "mother_ref": mother_ref,
            "born_on": born_on.isoformat(),
            "birth_weight_g": int(rng.gauss(3100, 420)) if rng.random() < 0.8 else None,
            "place_kind": "facility",
            "facility_ref": facility.ref,
            "attendant_ref": attendant or rng.choice(facility.attendants),
            "birth_evidence": "skl",
            "skl_number": f"SKL/{world.serial():06d}/{born_on.year}",
        }
    )
    child_name = _child_name(world, mother, sex)
    return Baby(birth_ref, child_ref, sex, born_on, mother, facility.regency, child_name)


def _child_name(world: World, mother: Mother, sex: str) -> str:
    from jaga.altgen.naming import make_name

    return make_name(world.rng, mother.tradition, sex).full


def register(world: World, baby: Baby, *, delay: int, registrar: str | None = None) -> None:
    """The akta for a facility birth, at the registry of the mother's home regency."""
    regency = baby.mother.home[:4]
    on = min(baby.born_on + timedelta(days=delay), END + timedelta(days=55))
    world.rows["birth-registrations.csv"].append(
        {
            "akta_number": f"{regency}-LT-{on:%d%m%Y}-{world.serial():05d}",
            "registrar_ref": registrar or world.registrar(regency),
            "registered_on": on.isoformat(),
            "registration_region_code": regency,
            "birth_ref": baby.birth_ref,
        }
    )
    world.registry_mother(baby.mother, regency)
    if world.rng.random() < 0.75:  # Dukcapil's own record of the child, once entered on the family card
        baby.nik = world.issuer.nik(baby.mother.home, baby.born_on, baby.sex)
        world.person_row(
            "people-civil-registry.csv",
            "civil_registry",
            regency,
            name=baby.name,
            sex=baby.sex,
            birth_date=baby.born_on,
            nik=baby.nik,
            kk=baby.mother.kk,
            home=baby.mother.home,
        )


def registry_birth(
    world: World,
    mother: Mother,
    *,
    born_on: date,
    delay: int,
    evidence: str,
    registrar: str,
    regency: str,
    place: str | None = None,
    attendant: str | None = None,
) -> Baby:
    """A birth known only from its civil registration (a home birth, or one that never happened)."""
    rng = world.rng
    sex = rng.choice("MF")
    mother_ref = world.registry_mother(mother, regency)
    child_ref, birth_ref = world.ref("P"), world.ref("B")
    name = _child_name(world, mother, sex)
    on = min(born_on + timedelta(days=delay), END + timedelta(days=55))
    nik = world.issuer.nik(mother.home, born_on, sex)
    world.rows["births-civil-registry.csv"].append(
        {
            "ref": birth_ref,
            "child_ref": child_ref,
            "child_name": name,
            "child_sex": sex,
            "child_nik": nik,
            "mother_ref": mother_ref,
            "born_on": born_on.isoformat(),
            "place_kind": "home",
            "place_region_code": place or mother.home,
            "attendant_ref": attendant,
            "birth_evidence": evidence,
            "akta_number": f"{regency[:4]}-LT-{on:%d%m%Y}-{world.serial():05d}",
            "registrar_ref": registrar,
            "registered_on": on.isoformat(),
            "registration_region_code": regency[:4],
        }
    )
    return Baby(birth_ref, child_ref, sex, born_on, mother, regency[:4], name, nik)


def child_in_care(
    world: World, baby: Baby, institution: str, region: str, *, name: str | None = None, **ids: str | None
) -> str:
    """The institution's own record of a child it takes in."""
    return world.person_row(
        "people-institution.csv",
        "institution",
        institution,
        name=name if name is not None else f"By. Ny. {baby.mother.name.full.split()[0]}",
        sex=baby.sex,
        birth_date=baby.born_on,
        nik=ids.get("nik"),
        kk=ids.get("kk"),
        region=region,
    )


def mother_in_care(world: World, mother: Mother, institution: str, region: str, *, nik: bool) -> str:
    return world.person_row(
        "people-institution.csv",
        "institution",
        institution,
        name=mother.name.full,
        sex="F",
        birth_date=mother.birth_date,
        nik=mother.nik if nik else None,
        home=mother.home,
        region=region,
    )


def relinquish(
    world: World,
    *,
    mother_ref: str,
    child_ref: str,
    on: date,
    institution: str | None,
    region: str,
    counsellor: str | None,
    counselled_days: int | None,
    consent: bool,
    witnesses: list[str],
) -> str:
    ref = world.ref("R")
    row: dict[str, object] = {
        "ref": ref,
        "mother_ref": mother_ref,
        "child_ref": child_ref,
        "occurred_on": on.isoformat(),
        "institution_ref": institution,
        "region_code": region[:4],
    }
    if counselled_days is not None:
        row["counselled_on"] = (on - timedelta(days=counselled_days)).isoformat()
        row["counsellor_ref"] = counsellor
        row["counselling_record"] = f"KONS/{world.serial():06d}"
    if consent:
        row["consent_document"] = f"SP/{world.serial():06d}/{on.year}"
    for i, name in enumerate(witnesses[:2], start=1):
        row[f"witness_{i}_name"] = name
    world.rows["relinquishments.csv"].append(row)
    return ref


def place(
    world: World,
    child_ref: str,
    kind: str,
    on: date,
    region: str,
    *,
    institution: str | None = None,
    carer: str | None = None,
    case: str | None = None,
    until: date | None = None,
) -> str:
    ref = world.ref("L")
    world.rows["placements.csv"].append(
        {
            "ref": ref,
            "child_ref": child_ref,
            "kind": kind,
            "institution_ref": institution,
            "carer_ref": carer,
            "adoption_case_ref": case,
            "from_date": on.isoformat(),
            "to_date": until.isoformat() if until else None,
            "region_code": region[:4],
        }
    )
    return ref


def adopter(world: World, home: str, *, age: tuple[int, int] = (32, 50), sex: str = "F") -> str:
    person = world.mother(home, age=age)
    return world.identified_row("people-social-service.csv", "social_service", home[:2], person, sex=sex)


LAWFUL_STEPS = ("eligibility_check", "home_study", "temporary_care", "recommendation")


def adoption_case(
    world: World,
    child_ref: str,
    adopter_ref: str,
    region: str,
    applied: date,
    *,
    institution: str | None,
    steps: int,
    worker: str,
) -> tuple[str, date | None]:
    """A domestic case taken `steps` steps past the application (7 is the whole legal path through the
    civil-registry annotation); returns the case and the day of its temporary-care permit, if any."""
    ref = world.ref("C")
    world.rows["adoption-cases.csv"].append(
        {
            "ref": ref,
            "child_ref": child_ref,
            "kind": "domestic",
            "adopter_ref": adopter_ref,
            "institution_ref": institution,
            "region_code": region[:4],
            "applied_on": applied.isoformat(),
            "documents": f"application=APP/{world.serial():06d}/{applied.year}",
            "official_ref": worker,
        }
    )
    day, care = applied, None
    documents = {
        "home_study": "home_study_report",
        "temporary_care": "care_permit",
        "recommendation": "pipa_recommendation",
    }
    for step in LAWFUL_STEPS[: min(steps, 4)]:
        day += timedelta(days=world.rng.randint(14, 40))
        if step == "recommendation":
            day = max(day, (care or day) + timedelta(days=190))
        if day > END:
            return ref, care
        row: dict[str, object] = {"case_ref": ref, "step": step, "occurred_on": day.isoformat()}
        if step in ("eligibility_check", "recommendation"):
            row["outcome"] = "passed"
        if step in documents:
            row["documents"] = f"{documents[step]}={step[:4].upper()}/{world.serial():06d}"
        row["official_ref"] = worker
        world.rows["adoption-steps-1-social.csv"].append(row)
        if step == "temporary_care":
            care = day
    if steps >= 5:
        day += timedelta(days=world.rng.randint(30, 90))
        if day > END:
            return ref, care
        world.rows["adoption-steps-2-court.csv"].append(
            {
                "case_ref": ref,
                "step": "court_ruling",
                "occurred_on": day.isoformat(),
                "outcome": "granted",
                "documents": f"court_ruling={world.serial()}/Pdt.P/{day.year}",
                "official_ref": world.court_clerk(region),
            }
        )
    if steps >= 6:
        day += timedelta(days=world.rng.randint(7, 28))
        if day <= END:
            world.rows["adoption-steps-3-registrar.csv"].append(
                {
                    "case_ref": ref,
                    "step": "civil_registry_annotation",
                    "occurred_on": day.isoformat(),
                    "documents": f"akta_annotation=ANOT/{world.serial():06d}",
                    "official_ref": world.registrar(region),
                }
            )
    return ref, care


def missing_report(
    world: World, child_ref: str, reporter_ref: str | None, last_seen: date, where: str, status: str
) -> str:
    ref = world.ref("M")
    regency = world.regency(where)
    world.rows["missing-reports.csv"].append(
        {
            "ref": ref,
            "child_ref": child_ref,
            "reporter_ref": reporter_ref,
            "report_number": f"LP/B/{world.serial():05d}/{last_seen.year}",
            "police_unit": f"Unit PPA Polres {regency.name.replace('Kab. ', '').replace('Kota ', '')}",
            "last_seen_on": last_seen.isoformat(),
            "last_seen_region_code": where,
            "status": status,
            "region_code": where[:4],
        }
    )
    return ref
