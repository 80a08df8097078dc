"""Benign look-alikes: lawful actors whose records share a surface with the schemes.

* `referral_hospital`: a provincial referral hospital; mothers come from every regency of the province,
  and many relinquish (complicated pregnancies, mothers in crisis), all with counselling, consent and
  witnesses, to licensed homes, and on to lawful adoptions;
* `emergency_foster_lksa`: a busy licensed LKSA that takes in babies within days of birth and places
  each within a few days with one of a handful of emergency foster families, its two staff members
  witnessing every handover;
* `outreach_registrar`: a registrar of a remote regency who, on outreach days, registers home births in
  bulk, months or years late, on Buku KIA pages or SPTJM declarations;
* `border_clinic`: a clinic near a provincial border whose mothers mostly live in the next province
  (one it shares a land border with: `LAND_BORDERS`).
"""

from __future__ import annotations

from datetime import timedelta

from jaga.altgen.scenarios.events import (
    adoption_case,
    child_in_care,
    facility_birth,
    mother_in_care,
    place,
    register,
    registry_birth,
    relinquish,
)
from jaga.altgen.scenarios.population import lawful_relinquishment
from jaga.altgen.scenarios.world import END, START, World


def referral_hospital(world: World, regency: str, births: int, relinquish_rate: float) -> None:
    rng = world.rng
    region = world.regency(regency)
    hospital = world.add_facility(region, "hospital", f"RSUP Rujukan {region.name.split()[-1]}", 0.0)
    for _ in range(6):
        hospital.attendants.append(world.add_attendant(hospital, rng.choice(("midwife", "doctor"))))
    world.lookalike(
        "referral_hospital", "facilities.csv", hospital.ref, "referral hospital, lawful relinquishments"
    )
    for attendant in hospital.attendants:
        world.lookalike("referral_hospital", "attendants.csv", attendant, "staff of a referral hospital")
    others = world.regency_codes(regency[:2])
    for _ in range(births):
        born = world.day(START, END)
        mother = world.mother(world.kecamatan_in(rng.choice(others)), age=(17, 45), on=born)
        baby = facility_birth(world, mother, hospital, born)
        register(world, baby, delay=max(1, int(rng.lognormvariate(2.9, 0.8))))
        if rng.random() < relinquish_rate:
            lawful_relinquishment(world, baby)


def emergency_foster_lksa(world: World, regency: str, babies: int, regencies: list[str]) -> None:
    """A provincial home: its babies are born in the ordinary facilities of the province's regencies,
    among their ordinary births."""
    rng = world.rng
    province = regency[:2]
    catchment = [r for r in regencies if r[:2] == province] or [regency]
    home = world.add_institution(province, name=f"LKSA Pelita Kasih {province}")
    world.lookalike("emergency_foster_lksa", "institutions.csv", home, "busy LKSA, emergency foster care")
    staff = ["Maria Goreti Ndun", "Yusuf Effendi"]
    fosters = []
    for _ in range(5):
        carer = world.mother(world.kecamatan_in(regency), age=(35, 55))
        ref = world.identified_row("people-social-service.csv", "social_service", province, carer)
        fosters.append(ref)
        world.lookalike("emergency_foster_lksa", "people-social-service.csv", ref, "emergency foster carer")
    worker = world.social_worker(province)
    for _ in range(babies):
        born = world.day(START, END - timedelta(days=30))
        home_regency = rng.choice(catchment)
        mother = world.mother(world.kecamatan_in(home_regency), age=(15, 38), on=born)
        baby = facility_birth(world, mother, world.facility(home_regency), born)
        on = born + timedelta(days=rng.randint(1, 10))
        child = child_in_care(world, baby, home, regency, kk=mother.kk if rng.random() < 0.4 else None)
        mother_ref = mother_in_care(world, mother, home, regency, nik=rng.random() < 0.8)
        relinquish(
            world,
            mother_ref=mother_ref,
            child_ref=child,
            on=on,
            institution=home,
            region=regency,
            counsellor=worker,
            counselled_days=rng.randint(0, 2),
            consent=True,
            witnesses=staff,
        )
        place(
            world,
            child,
            "institution",
            on,
            regency,
            institution=home,
            until=on + timedelta(days=rng.randint(1, 5)),
        )
        foster_from = on + timedelta(days=rng.randint(1, 5))
        foster_until = foster_from + timedelta(days=rng.randint(30, 180))
        place(
            world, child, "foster_family", foster_from, regency, carer=rng.choice(fosters), until=foster_until
        )
        if rng.random() < 0.4 and foster_until < END:
            adopter = world.mother(world.kecamatan_in(regency), age=(30, 50))
            adopter_ref = world.identified_row(
                "people-social-service.csv", "social_service", province, adopter
            )
            case, care = adoption_case(
                world,
                child,
                adopter_ref,
                regency,
                foster_until - timedelta(days=20),
                institution=home,
                steps=6,
                worker=worker,
            )
            if care is not None:
                place(world, child, "prospective_adopters", care, regency, carer=adopter_ref, case=case)


REMOTE = ("94", "91", "53", "81", "82", "95")


def outreach_registrar(world: World, births: int) -> None:
    rng = world.rng
    province = next((p for p in REMOTE if world.regency_codes(p)), "53")
    regency = rng.choice(world.regency_codes(province))
    region = world.regency(regency)
    registrar = world.add_official("registrar", f"Disdukcapil {region.name} (jemput bola)", regency)
    world.lookalike("outreach_registrar", "officials.csv", registrar, "outreach registrar, late home births")
    days = sorted(world.day(START + timedelta(days=200), END) for _ in range(max(3, births // 40)))
    for _ in range(births):
        outreach = rng.choice(days)
        born = world.day(outreach - timedelta(days=900), outreach - timedelta(days=61))
        mother = world.mother(world.kecamatan_in(regency), age=(17, 42), on=born)
        midwife = None
        registry_birth(
            world,
            mother,
            born_on=max(born, START - timedelta(days=200)),
            delay=(outreach - max(born, START - timedelta(days=200))).days,
            evidence=rng.choices(("buku_kia", "sptjm"), weights=(65, 35))[0],
            registrar=registrar,
            regency=regency,
            attendant=midwife,
        )


# Provinces that share a land border (two-digit Kemendagri codes), typed for this generator from a map
# of Indonesia and kept apart from the detectors' own table (jaga.regions.adjacency, which also counts
# short sea crossings): a look-alike must be geographically possible, and the generator must not borrow
# the knowledge it is used to test. A province of islands only (Bali, the Nusa Tenggaras, Bangka
# Belitung, Riau Islands, the Malukus) has no land border, so no border clinic is placed there.
_LAND = (
    "11-12 12-13 12-14 13-14 13-15 13-17 14-15 15-16 15-17 16-17 16-18 17-18 "
    "31-32 31-36 32-33 32-36 33-34 33-35 "
    "61-62 61-64 62-63 62-64 63-64 64-65 "
    "71-75 72-73 72-74 72-75 72-76 73-74 73-76 "
    "91-94 91-95 92-94 92-96 93-94 93-95 94-95"
)
LAND_BORDERS: dict[str, tuple[str, ...]] = {}
for _pair in _LAND.split():
    _a, _b = _pair.split("-")
    LAND_BORDERS[_a] = (*LAND_BORDERS.get(_a, ()), _b)
    LAND_BORDERS[_b] = (*LAND_BORDERS.get(_b, ()), _a)


def border_clinic(world: World, regency: str, neighbour: str, births: int) -> None:
    """A clinic in `regency` whose mothers mostly live in `neighbour`, a province bordering its own."""
    rng = world.rng
    region = world.regency(regency)
    clinic = world.add_facility(region, "clinic", f"Klinik Perbatasan {region.name.split()[-1]}", 0.0)
    world.lookalike(
        "border_clinic", "facilities.csv", clinic.ref, "clinic whose mothers live across the border"
    )
    for _ in range(births):
        born = world.day(START, END)
        home = world.kecamatan(neighbour) if rng.random() < 0.7 else world.kecamatan_in(regency)
        mother = world.mother(home, age=(18, 40), on=born)
        baby = facility_birth(world, mother, clinic, born)
        if rng.random() < 0.9:
            register(world, baby, delay=max(1, int(rng.lognormvariate(3.0, 0.8))))
