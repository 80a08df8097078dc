"""Ordinary life: births in facilities and at home, their registration (mostly on time, some late), the
few lawful relinquishments with their safeguards, lawful adoptions, and missing-child reports that end
with the child found."""

from __future__ import annotations

from datetime import timedelta

from jaga.altgen.scenarios.events import (
    Baby,
    adopter,
    adoption_case,
    child_in_care,
    facility_birth,
    missing_report,
    mother_in_care,
    place,
    register,
    registry_birth,
    relinquish,
)
from jaga.altgen.scenarios.world import END, START, Mother, World


def active_regencies(world: World, regencies_per_province: int) -> list[str]:
    chosen = []
    for province in world.provinces:
        codes = world.regency_codes(province)
        chosen += world.rng.sample(codes, min(regencies_per_province, len(codes)))
    return chosen


def populate(world: World, births: int, regencies: list[str], *, relinquish_rate: float) -> list[Baby]:
    rng = world.rng
    weights = [rng.lognormvariate(0.0, 0.7) for _ in regencies]
    babies: list[Baby] = []
    mothers: list[Mother] = []
    for _ in range(births):
        regency = rng.choices(regencies, weights=weights)[0]
        born = world.day(START, END)
        if mothers and rng.random() < 0.12:  # a second child, at least 15 months after the first
            mother = rng.choice(mothers)
            if any(b.mother is mother and abs((b.born_on - born).days) < 450 for b in babies[-400:]):
                mother = world.mother(world.kecamatan_in(regency), on=born)
            regency = mother.home[:4]  # she gives birth and registers where she lives
        else:
            mother = world.mother(world.kecamatan_in(regency), on=born)
        mothers.append(mother)
        if rng.random() < 0.8:
            facility = world.facility(regency if rng.random() < 0.9 else rng.choice(regencies))
            baby = facility_birth(world, mother, facility, born)
            if rng.random() < 0.88:
                delay = int(rng.lognormvariate(2.8, 0.8))  # median ~16 days; a tail past 60
                register(world, baby, delay=max(1, delay))
        else:
            evidence = rng.choices(("buku_kia", "sptjm", "none"), weights=(70, 22, 8))[0]
            baby = registry_birth(
                world,
                mother,
                born_on=born,
                delay=max(3, int(rng.lognormvariate(3.6, 0.7))),
                evidence=evidence,
                registrar=world.registrar(regency),
                regency=regency,
            )
        babies.append(baby)
        if rng.random() < relinquish_rate:
            lawful_relinquishment(world, baby)
    return babies


def lawful_relinquishment(world: World, baby: Baby, *, institution: str | None = None) -> str:
    """A mother gives up her child with counselling, consent and two witnesses; the child goes to a
    licensed LKSA, and then to lawful adopters or a foster family."""
    rng = world.rng
    province = baby.regency[:2]
    home = institution or world.lksa(province)
    on = baby.born_on + timedelta(days=rng.randint(10, 120))
    if on > END:
        on = END
    child = child_in_care(world, baby, home, baby.regency, kk=baby.mother.kk if rng.random() < 0.5 else None)
    mother = mother_in_care(world, baby.mother, home, baby.regency, nik=rng.random() < 0.7)
    witnesses = world.witnesses(2) if rng.random() < 0.9 else world.witnesses(1)
    relinquishment = relinquish(
        world,
        mother_ref=mother,
        child_ref=child,
        on=on,
        institution=home,
        region=baby.regency,
        counsellor=world.social_worker(province),
        counselled_days=rng.randint(3, 21),
        consent=True,
        witnesses=witnesses,
    )
    place(world, child, "institution", on, baby.regency, institution=home)
    if rng.random() < 0.6:
        adopter_ref = adopter(world, world.kecamatan_in(baby.regency))
        case, care = adoption_case(
            world,
            child,
            adopter_ref,
            baby.regency,
            on + timedelta(days=rng.randint(20, 90)),
            institution=home,
            steps=rng.choice((4, 5, 6, 6)),
            worker=world.social_worker(province),
        )
        if care is not None:
            place(world, child, "prospective_adopters", care, baby.regency, carer=adopter_ref, case=case)
    return relinquishment


def ordinary_missing(world: World, regencies: list[str], count: int) -> None:
    """Older children reported missing and found (runaways, lost, taken by a parent after a divorce)."""
    rng = world.rng
    for _ in range(count):
        regency = rng.choice(regencies)
        home = world.kecamatan_in(regency)
        parent = world.mother(home)
        sex = rng.choice("MF")
        born = world.day(START - timedelta(days=365 * 14), START - timedelta(days=365 * 3))
        from jaga.altgen.naming import make_name

        child = world.person_row(
            "people-police.csv",
            "police",
            regency,
            name=make_name(rng, parent.tradition, sex).full,
            sex=sex,
            birth_date=born,
            nik=world.issuer.nik(home, born, sex) if rng.random() < 0.6 else None,
            kk=parent.kk if rng.random() < 0.4 else None,
            home=home,
        )
        reporter = world.person_row(
            "people-police.csv",
            "police",
            regency,
            name=parent.name.full,
            sex="F",
            birth_date=parent.birth_date,
            nik=parent.nik,
            home=home,
        )
        status = rng.choices(("found", "closed", "open"), weights=(70, 15, 15))[0]
        missing_report(world, child, reporter, world.day(START, END), home, status)
