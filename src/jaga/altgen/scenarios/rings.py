"""Planted schemes, shaped after DOMAIN.md section 6 and the seed cases, and on purpose unlike
`jaga synth`'s:

* `scattered_clinics`: a ring spread over several small clinics of one regency, with a coordinating
  midwife who attends at all of them (the Medan and Yogyakarta cases: midwives as sellers);
* `midwife_network`: independent midwife practices in several regencies and provinces, tied only by the
  broker who witnesses their handovers; babies go to buyers in other provinces (the West Java ->
  Pontianak case);
* `licensed_lksa`: a real, licensed LKSA that takes in babies of out-of-province mothers within days,
  counsels them the same day, and hands the babies to "prospective adopters" without a care permit;
* `buyer_registration`: a complicit registrar registers sold babies as the buyers' own children (SPTJM,
  late, the "mother" often older), while the real birth sits in a facility's records;
* `renamed_missing`: a toddler reported missing reappears months later in another province, under a
  new name, relinquished by a woman who is not her mother.

`hidden` (0-1) is how much of each red flag the ring manages to avoid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from jaga.altgen.naming import make_name
from jaga.altgen.scenarios.events import (
    Baby,
    adoption_case,
    child_in_care,
    facility_birth,
    missing_report,
    mother_in_care,
    place,
    registry_birth,
    relinquish,
)
from jaga.altgen.scenarios.world import END, START, Mother, World


@dataclass
class Sale:
    baby: Baby
    buyer: Mother
    buyer_ref: str
    scheme: str
    handed_on: date


def _buyer(world: World, province: str) -> tuple[Mother, str]:
    home = world.kecamatan(province)
    buyer = world.mother(home, age=(30, 48))
    ref = world.identified_row("people-social-service.csv", "social_service", province, buyer, home=home)
    return buyer, ref


def _other_province(world: World, province: str) -> str:
    options = [p for p in sorted(world.places.by_province) if p != province]
    return world.rng.choice(options)


def _brokers(world: World, count: int) -> list[str]:
    return [make_name(world.rng, "javanese", world.rng.choice("MF")).full for _ in range(count)]


def _handover(
    world: World,
    scheme: str,
    baby: Baby,
    *,
    mother_ref: str,
    child_ref: str,
    on: date,
    institution: str | None,
    hidden: float,
    brokers: list[str],
    buyer_province: str,
    open_case: float,
    counsellor: str | None = None,
) -> Sale:
    """The relinquishment and the placement with the buyer, with as many safeguards faked as `hidden`
    says; the records join the scheme."""
    rng = world.rng
    witnesses = rng.sample(brokers, 2) if rng.random() > hidden * 0.6 else world.witnesses(2)
    relinquishment = relinquish(
        world,
        mother_ref=mother_ref,
        child_ref=child_ref,
        on=on,
        institution=institution,
        region=baby.regency,
        counsellor=counsellor or world.social_worker(baby.regency[:2]),
        counselled_days=0 if rng.random() < hidden else None,
        consent=rng.random() < 0.3 + 0.6 * hidden,
        witnesses=witnesses if rng.random() > 0.2 * (1 - hidden) else witnesses[:1],
    )
    buyer, buyer_ref = _buyer(world, buyer_province)
    handed = min(on + timedelta(days=rng.randint(0, 12)), END)
    case = None
    if rng.random() < open_case:
        case, _ = adoption_case(
            world,
            child_ref,
            buyer_ref,
            baby.regency,
            handed,
            institution=institution,
            steps=rng.choice((0, 1)),
            worker=world.social_worker(baby.regency[:2]),
        )
        world.member(scheme, "adoption-cases.csv", case, "ring_case")
    placement = place(
        world, child_ref, "prospective_adopters", handed, baby.regency, carer=buyer_ref, case=case
    )
    world.member(scheme, "relinquishments.csv", relinquishment, "ring_relinquishment")
    world.member(scheme, "placements.csv", placement, "ring_placement")
    world.member(scheme, "people-social-service.csv", buyer_ref, "buyer")
    world.member(scheme, "births-facility.csv", baby.birth_ref, "ring_birth")
    if baby.mother.ref_facility:
        world.member(scheme, "people-facility.csv", baby.mother.ref_facility, "ring_mother")
    return Sale(baby, buyer, buyer_ref, scheme, handed)


def _far_mother(world: World, near: str, *, age: tuple[int, int], far_share: float, on: date) -> Mother:
    rng = world.rng
    if rng.random() < far_share:
        home = world.kecamatan(_other_province(world, near[:2]) if rng.random() < 0.6 else near[:2])
    else:
        home = world.kecamatan_in(near)
    return world.mother(home, age=age, on=on)


def scattered_clinics(world: World, regency: str, babies: int, hidden: float) -> list[Sale]:
    rng = world.rng
    scheme = world.scheme("scattered_clinics", f"a ring over several small clinics of {regency}", ring=True)
    region = world.regency(regency)
    clinics = [
        world.add_facility(
            region, rng.choice(("clinic", "midwife_practice")), f"Klinik Bersalin Mitra {i}", 0.3
        )
        for i in range(1, rng.randint(3, 5))
    ]
    coordinator = world.add_attendant(clinics[0], "midwife")
    world.member(scheme, "attendants.csv", coordinator, "coordinating_midwife")
    for clinic in clinics:
        world.member(scheme, "facilities.csv", clinic.ref, "ring_facility")
    brokers = _brokers(world, 3)
    sales = []
    for _ in range(babies):
        born = world.day(date(2022, 6, 1), END - timedelta(days=20))
        mother = _far_mother(world, regency, age=(16, 24), far_share=0.85 - 0.4 * hidden, on=born)
        clinic = rng.choice(clinics)
        attendant = coordinator if rng.random() > hidden * 0.5 else rng.choice(clinic.attendants)
        baby = facility_birth(world, mother, clinic, born, attendant=attendant)
        on = born + timedelta(days=rng.randint(1, 6))
        sales.append(
            _handover(
                world,
                scheme,
                baby,
                mother_ref=world.facility_mother(mother, clinic),
                child_ref=baby.child_ref,
                on=on,
                institution=None,
                hidden=hidden,
                brokers=brokers,
                buyer_province=_other_province(world, regency[:2]) if rng.random() < 0.6 else regency[:2],
                open_case=0.4,
            )
        )
    return sales


def midwife_network(world: World, provinces: list[str], babies: int, hidden: float) -> list[Sale]:
    rng = world.rng
    scheme = world.scheme(
        "midwife_network", "midwife practices in several regencies sharing a broker", ring=True
    )
    practices = []
    for i in range(3):
        province = provinces[i % len(provinces)]
        region = world.regency(rng.choice(world.regency_codes(province)))
        practice = world.add_facility(region, "midwife_practice", f"Praktik Bidan Mandiri {i + 1}", 0.4)
        practices.append(practice)
        world.member(scheme, "facilities.csv", practice.ref, "ring_facility")
        world.member(scheme, "attendants.csv", practice.attendants[0], "ring_midwife")
    broker = _brokers(world, 1)
    sales = []
    for n in range(babies):
        practice = practices[n % len(practices)]
        born = world.day(date(2021, 6, 1), END - timedelta(days=20))
        mother = _far_mother(world, practice.regency, age=(17, 30), far_share=0.5 - 0.3 * hidden, on=born)
        baby = facility_birth(world, mother, practice, born, attendant=practice.attendants[0])
        sales.append(
            _handover(
                world,
                scheme,
                baby,
                mother_ref=world.facility_mother(mother, practice),
                child_ref=baby.child_ref,
                on=born + timedelta(days=rng.randint(2, 14)),
                institution=None,
                hidden=hidden,
                brokers=[broker[0], rng.choice(_brokers(world, 2))] if rng.random() < 0.5 else broker * 2,
                buyer_province=_other_province(world, practice.regency[:2]),
                open_case=0.15,
            )
        )
    return sales


def licensed_lksa(world: World, regency: str, babies: int, hidden: float) -> list[Sale]:
    """The mothers give birth in the regency's ordinary facilities, among its ordinary births."""
    province = regency[:2]
    rng = world.rng
    scheme = world.scheme(
        "licensed_lksa", f"a licensed LKSA in {province} passing babies to buyers", ring=True
    )
    home = world.add_institution(province, name=f"LKSA Tunas Bangsa {province}")
    world.member(scheme, "institutions.csv", home, "ring_institution")
    counsellor = world.add_official(
        "social_worker", "Dinas Sosial Provinsi", world.regency_codes(province)[0]
    )
    world.member(scheme, "officials.csv", counsellor, "ring_counsellor")
    staff = _brokers(world, 2)
    sales = []
    for _ in range(babies):
        born = world.day(date(2021, 9, 1), END - timedelta(days=30))
        mother = _far_mother(world, regency, age=(17, 28), far_share=0.8 - 0.3 * hidden, on=born)
        facility = world.facility(regency)
        baby = facility_birth(world, mother, facility, born)
        on = born + timedelta(days=rng.randint(1, 7))
        child = child_in_care(world, baby, home, regency)
        mother_ref = mother_in_care(world, mother, home, regency, nik=rng.random() < 0.5)
        place(world, child, "institution", on, regency, institution=home)
        sale = _handover(
            world,
            scheme,
            baby,
            mother_ref=mother_ref,
            child_ref=child,
            on=on,
            institution=home,
            hidden=max(hidden, 0.6),  # a licensed home keeps the paperwork
            brokers=staff,
            buyer_province=_other_province(world, province) if rng.random() < 0.5 else province,
            open_case=0.8,
            counsellor=counsellor,
        )
        world.member(scheme, "people-institution.csv", child, "ring_child")
        sales.append(sale)
    return sales


def buyer_registration(world: World, sales: list[Sale], regency: str, hidden: float) -> None:
    """A registrar of `regency` who registers sold babies as born at home to their buyers."""
    rng = world.rng
    scheme = world.scheme(
        "buyer_registration", f"a registrar in {regency} registering babies to buyers", ring=True
    )
    registrar = world.add_official("registrar", f"Disdukcapil {world.regency(regency).name}", regency)
    world.regency(regency).registrars.append(registrar)  # he registers ordinary births too
    world.member(scheme, "officials.csv", registrar, "complicit_registrar")
    for sale in sales:
        born = sale.baby.born_on + timedelta(days=rng.randint(-3, 3) if rng.random() < hidden else 0)
        evidence = "sptjm" if rng.random() > hidden * 0.5 else "buku_kia"
        fake = registry_birth(
            world,
            sale.buyer,
            born_on=born,
            delay=max(5, (sale.handed_on - born).days + rng.randint(20, 300 - int(200 * hidden))),
            evidence=evidence,
            registrar=registrar,
            regency=regency,
            place=sale.buyer.home,
        )
        for s in (scheme, sale.scheme):
            world.member(s, "births-civil-registry.csv", fake.birth_ref, "falsified_birth")
            world.member(s, "births-civil-registry.csv", fake.child_ref, "falsified_child")
            world.member(s, "people-civil-registry.csv", sale.buyer.ref_registry or "", "buyer_as_mother")
        world.member(scheme, "births-facility.csv", sale.baby.birth_ref, "true_birth")


def renamed_missing(world: World, children: int, regencies: list[str]) -> None:
    rng = world.rng
    for _ in range(children):
        scheme = world.scheme(
            "renamed_missing", "a missing toddler reappears renamed in another province", ring=False
        )
        regency = rng.choice(regencies)
        home = world.kecamatan_in(regency)
        mother = world.mother(home)
        sex = rng.choice("MF")
        born = world.day(START - timedelta(days=365 * 3), date(2023, 6, 1))
        true_name = make_name(rng, mother.tradition, sex).full
        nik = world.issuer.nik(home, born, sex)
        world.person_row(
            "people-civil-registry.csv",
            "civil_registry",
            regency,
            name=true_name,
            sex=sex,
            birth_date=born,
            nik=nik,
            kk=mother.kk,
            home=home,
        )
        child = world.person_row(
            "people-police.csv",
            "police",
            regency,
            name=true_name,
            sex=sex,
            birth_date=born,
            nik=nik if rng.random() < 0.7 else None,
            kk=mother.kk if rng.random() < 0.5 else None,
            home=home,
        )
        reporter = world.identified_row("people-police.csv", "police", regency, mother, home=home)
        seen = world.day(max(born + timedelta(days=365), date(2022, 1, 1)), date(2025, 3, 1))
        report = missing_report(
            world, child, reporter, seen, home, "open" if rng.random() < 0.9 else "closed"
        )
        elsewhere = _other_province(world, regency[:2])
        lksa = world.lksa(elsewhere)
        where = world.rng.choice(world.regency_codes(elsewhere))
        on = min(seen + timedelta(days=rng.randint(45, 300)), END)
        # What the intake staff wrote down: a new name, the birth date the woman gave, and, when the
        # child's documents travelled with her, the NIK or the family card number.
        draw = rng.random()
        ids = {"nik": nik} if draw < 0.55 else {"kk": mother.kk} if draw < 0.85 else {}
        birth = born if rng.random() < 0.8 else born + timedelta(days=rng.randint(-20, 20))
        false_mother = world.mother(world.kecamatan_in(where), age=(22, 40))
        reappeared = world.person_row(
            "people-institution.csv",
            "institution",
            lksa,
            name=make_name(rng, false_mother.tradition, sex).full,
            sex=sex,
            birth_date=min(birth, seen),
            home=None,
            region=where,
            **ids,
        )
        posing = mother_in_care(world, false_mother, lksa, where, nik=rng.random() < 0.6)
        relinquishment = relinquish(
            world,
            mother_ref=posing,
            child_ref=reappeared,
            on=on,
            institution=lksa,
            region=where,
            counsellor=world.social_worker(elsewhere),
            counselled_days=rng.choice((None, 0, 2)),
            consent=True,
            witnesses=world.witnesses(rng.choice((1, 2))),
        )
        placement = place(world, reappeared, "institution", on, where, institution=lksa)
        world.member(scheme, "missing-reports.csv", report, "missing_report")
        world.member(scheme, "people-police.csv", child, "missing_child")
        world.member(scheme, "people-institution.csv", reappeared, "reappeared_child")
        world.member(scheme, "people-institution.csv", posing, "false_mother")
        world.member(scheme, "relinquishments.csv", relinquishment, "reappeared_relinquishment")
        world.member(scheme, "placements.csv", placement, "reappeared_placement")
