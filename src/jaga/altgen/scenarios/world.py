"""The world the scenarios happen in: places, facilities, officials, institutions, people, and the rows
written for each import file, with the ground truth kept beside them (never in the import files).

Written from DOMAIN.md and the seed cases alone, never from `jaga.synth`: facility sizes are heavy-tailed
(many one-midwife practices, few big hospitals), every regency has its own registrars, and each province
its own licensed child-care homes (LKSA) and Dinas Sosial social workers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from jaga.altgen.family import Places
from jaga.altgen.naming import HOMELANDS, TRADITIONS, Name, make_name
from jaga.altgen.niks import NikIssuer
from jaga.altgen.noise import make_address

START = date(2021, 1, 1)
END = date(2025, 10, 31)  # the last birth; jaga's bench judges the registry as of 2026-01-01

FILES = (
    ("facilities.csv", "facilities", "admin"),
    ("attendants.csv", "attendants", "admin"),
    ("officials.csv", "officials", "admin"),
    ("institutions.csv", "institutions", "admin"),
    ("people-facility.csv", "people", "facility"),
    ("people-civil-registry.csv", "people", "registrar"),
    ("births-facility.csv", "births", "facility"),
    ("births-civil-registry.csv", "births", "registrar"),
    ("birth-registrations.csv", "birth-registrations", "registrar"),
    ("people-institution.csv", "people", "institution"),
    ("people-social-service.csv", "people", "social_worker"),
    ("people-police.csv", "people", "police"),
    ("relinquishments.csv", "relinquishments", "institution"),
    ("adoption-cases.csv", "adoption-cases", "social_worker"),
    ("adoption-steps-1-social.csv", "adoption-steps", "social_worker"),
    ("adoption-steps-2-court.csv", "adoption-steps", "court"),
    ("adoption-steps-3-registrar.csv", "adoption-steps", "registrar"),
    ("placements.csv", "placements", "social_worker"),
    ("missing-reports.csv", "missing-reports", "police"),
)

TRADITIONS_OF: dict[str, list[str]] = {}
for _tradition, _provinces in HOMELANDS.items():
    for _province in _provinces:
        TRADITIONS_OF.setdefault(_province, []).append(_tradition)

WITNESS_NAMES = (
    "Sumarni",
    "Wagiman",
    "Rukmini",
    "Slamet Riyadi",
    "Nur Aini",
    "Darto",
    "Yohana Bere",
    "Hendra Gunawan",
    "Siti Maemunah",
    "Jumadi",
    "Ketut Sudana",
    "Lusiana",
    "Asep Saepudin",
    "Marlina Siregar",
    "Ahmad Fauzi",
    "Tini Rahayu",
)


@dataclass
class Mother:
    ref_facility: str | None  # her record at the facility, once she gave birth in one
    ref_registry: str | None  # her record at Dukcapil
    name: Name
    birth_date: date
    nik: str
    kk: str
    home: str  # 6-digit kecamatan where she lives
    tradition: str


@dataclass
class Facility:
    ref: str
    name: str
    kind: str
    regency: str
    weight: float
    attendants: list[str] = field(default_factory=list)


@dataclass
class Regency:
    code: str
    name: str
    facilities: list[Facility] = field(default_factory=list)
    registrars: list[str] = field(default_factory=list)
    equipped: bool = False  # its ordinary facilities exist (made on the first birth there)
    counters: dict[str, int] = field(default_factory=dict)


class World:
    """Rows per import file and the truth, built up by the population, the rings and the look-alikes."""

    def __init__(self, seed: int, provinces: tuple[str, ...]) -> None:
        self.rng = random.Random(seed)
        self.places = Places()
        self.issuer = NikIssuer(self.rng)
        self.provinces = provinces
        self.rows: dict[str, list[dict[str, object]]] = {name: [] for name, _, _ in FILES}
        self.schemes: list[dict[str, object]] = []
        self.members: list[dict[str, str]] = []
        self.lookalikes: list[dict[str, str]] = []
        self._refs: set[str] = set()
        self._regencies: dict[str, Regency] = {}
        self._institutions: dict[str, list[str]] = {}
        self._social: dict[str, list[str]] = {}
        self._court: dict[str, str] = {}
        self._serial = 0

    # -- refs and numbers --------------------------------------------------------------------------

    def ref(self, prefix: str) -> str:
        while True:
            ref = f"{prefix}{self.rng.getrandbits(60):015X}"
            if ref not in self._refs:
                self._refs.add(ref)
                return ref

    def serial(self) -> int:
        self._serial += 1
        return self._serial

    def day(self, start: date, end: date) -> date:
        if end <= start:
            return start
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    # -- places ------------------------------------------------------------------------------------

    def kecamatan(self, province: str) -> str:
        return self.places.district(self.rng, province).code

    def regency(self, code: str) -> Regency:
        code = code[:4]
        found = self._regencies.get(code)
        if found is None:
            found = self._regencies[code] = self._build_regency(code)
        return found

    def _build_regency(self, code: str) -> Regency:
        from jaga.regions import load_directory

        region = load_directory().get(code)
        name = region.name if region is not None else f"Kab. {code}"
        regency = Regency(code, name)
        for _ in range(self.rng.randint(1, 3)):
            regency.registrars.append(self.add_official("registrar", f"Disdukcapil {name}", code))
        return regency

    def _equip(self, regency: Regency) -> None:
        regency.equipped = True
        short = regency.name.replace("Kab. ", "").replace("Kota ", "")
        # Heavy-tailed sizes: one regional hospital, a few puskesmas, many small practices (log-normal
        # weights), so that a handful of facilities deliver most babies and many deliver a few a year.
        plan = [("hospital", f"RSUD {short}", 8.0)]
        plan += [("puskesmas", f"Puskesmas {short} {i}", 2.0) for i in range(1, self.rng.randint(2, 4))]
        for i in range(self.rng.randint(4, 9)):
            kind = self.rng.choice(("clinic", "midwife_practice", "midwife_practice"))
            label = "Klinik Pratama" if kind == "clinic" else "Praktik Bidan"
            plan.append((kind, f"{label} {self.rng.choice(WITNESS_NAMES).split()[0]} {short} {i + 1}", 0.0))
        for kind, fname, base in plan:
            weight = base if base else self.rng.lognormvariate(0.0, 0.9)
            self.add_facility(regency, kind, fname, weight)

    def add_facility(self, regency: Regency, kind: str, name: str, weight: float) -> Facility:
        ref = self.ref("F")
        kecamatan = self.kecamatan_in(regency.code)
        self.rows["facilities.csv"].append(
            {
                "ref": ref,
                "name": name,
                "kind": kind,
                "licence_number": f"{regency.code}/{kind[:3].upper()}/{self.serial():05d}",
                "region_code": kecamatan,
            }
        )
        facility = Facility(ref, name, kind, regency.code, weight)
        staff = {"hospital": 4, "puskesmas": 2, "clinic": 2, "midwife_practice": 1}[kind]
        for _ in range(staff):
            facility.attendants.append(self.add_attendant(facility, "midwife"))
        if kind == "hospital":
            facility.attendants.append(self.add_attendant(facility, "doctor"))
        regency.facilities.append(facility)
        return facility

    def add_attendant(self, facility: Facility | None, kind: str, regency: str | None = None) -> str:
        ref = self.ref("A")
        name = make_name(self.rng, self._tradition(regency or (facility.regency if facility else "33")), "F")
        title = {"midwife": "Bdn.", "doctor": "dr.", "nurse": "Ns.", "traditional": "Mak"}[kind]
        row: dict[str, object] = {
            "ref": ref,
            "full_name": f"{title} {name.full}",
            "kind": kind,
            "registration_number": None if kind == "traditional" else f"STR{self.serial():08d}",
            "facility_ref": facility.ref if facility else None,
            "region_code": (facility.regency if facility else regency),
        }
        self.rows["attendants.csv"].append(row)
        return ref

    def kecamatan_in(self, regency: str) -> str:
        options = [r for r in self.places.by_province.get(regency[:2], []) if r.code.startswith(regency)]
        return self.rng.choice(options).code if options else self.kecamatan(regency[:2])

    def regency_codes(self, province: str) -> list[str]:
        return sorted({r.code[:4] for r in self.places.by_province.get(province, [])})

    def add_official(self, role: str, office: str, regency: str) -> str:
        ref = self.ref("O")
        name = make_name(self.rng, self._tradition(regency), self.rng.choice("MF"))
        region = regency[:2] if role == "social_worker" else regency[:4]
        self.rows["officials.csv"].append(
            # Dinas Sosial Provinsi serves the whole province; the others one regency.
            {"ref": ref, "full_name": name.full, "role": role, "office": office, "region_code": region}
        )
        return ref

    def registrar(self, regency: str) -> str:
        return self.rng.choice(self.regency(regency).registrars)

    def facility(self, regency: str) -> Facility:
        found = self.regency(regency)
        if not found.equipped:
            self._equip(found)
        facilities = found.facilities
        return self.rng.choices(facilities, weights=[f.weight for f in facilities])[0]

    def social_worker(self, province: str) -> str:
        workers = self._social.get(province)
        if workers is None:
            regencies = self.regency_codes(province) or [f"{province}01"]
            workers = self._social[province] = [
                self.add_official("social_worker", "Dinas Sosial Provinsi", self.rng.choice(regencies))
                for _ in range(3)
            ]
        return self.rng.choice(workers)

    def court_clerk(self, regency: str) -> str:
        if regency[:4] not in self._court:
            self._court[regency[:4]] = self.add_official("court_clerk", "Pengadilan Agama", regency[:4])
        return self._court[regency[:4]]

    def lksa(self, province: str) -> str:
        homes = self._institutions.get(province)
        if homes is None:
            homes = self._institutions[province] = [self.add_institution(province) for _ in range(2)]
        return self.rng.choice(homes)

    def add_institution(
        self, province: str, *, name: str | None = None, kind: str = "lksa", licensed: bool = True
    ) -> str:
        ref = self.ref("I")
        regencies = self.regency_codes(province) or [f"{province}01"]
        regency = self.rng.choice(regencies)
        since = self.day(date(2012, 1, 1), date(2019, 12, 31))
        row: dict[str, object] = {
            "ref": ref,
            "name": name
            or f"LKSA {self.rng.choice(('Harapan', 'Kasih', 'Bina', 'Permata', 'Cahaya'))} "
            f"{self.regency(regency).name.replace('Kab. ', '').replace('Kota ', '')}",
            "kind": kind,
            "foundation_number": f"AHU-{self.serial():07d}.AH.01.04",
            "region_code": self.kecamatan_in(regency),
        }
        if licensed:
            row.update(
                {
                    "licence_number": f"{province}/{kind.upper()[:4]}/{self.serial():05d}",
                    "licence_issuer": "Dinas Sosial Provinsi",
                    "licence_valid_from": since.isoformat(),
                    "licence_valid_until": date(2030, 12, 31).isoformat(),
                    "licence_status": "active",
                }
            )
        else:
            row["licence_status"] = "none"
        self.rows["institutions.csv"].append(row)
        return ref

    def _tradition(self, code: str) -> str:
        options = TRADITIONS_OF.get(code[:2])
        if options:
            return self.rng.choice(options)
        return self.rng.choices(list(TRADITIONS), weights=list(TRADITIONS.values()))[0]

    # -- people ------------------------------------------------------------------------------------

    def mother(self, home: str, *, age: tuple[int, int] = (19, 40), on: date = START) -> Mother:
        tradition = self._tradition(home)
        born = self.day(on - timedelta(days=365 * age[1]), on - timedelta(days=365 * age[0]))
        issued_in = home if self.rng.random() < 0.8 else self.kecamatan(home[:2])
        return Mother(
            ref_facility=None,
            ref_registry=None,
            name=make_name(self.rng, tradition, "F", birth_order=self.rng.randint(1, 4)),
            birth_date=born,
            nik=self.issuer.nik(issued_in, born, "F"),
            kk=self.issuer.kk(home, self.day(born + timedelta(days=365 * 18), on)),
            home=home,
            tradition=tradition,
        )

    def person_row(
        self,
        file: str,
        source_kind: str,
        source_ref: str,
        *,
        name: str | None,
        sex: str,
        birth_date: date | None,
        nik: str | None = None,
        kk: str | None = None,
        home: str | None = None,
        region: str | None = None,
    ) -> str:
        ref = self.ref("P")
        address = make_address(self.rng, "").written(1) if home and self.rng.random() < 0.5 else None
        self.rows[file].append(
            {
                "ref": ref,
                "source_kind": source_kind,
                "source_ref": source_ref,
                "full_name": name,
                "nik": nik,
                "kk_number": kk,
                "sex": sex,
                "birth_date": birth_date.isoformat() if birth_date else None,
                "nationality": "IDN",
                "address": address,
                "address_region_code": home,
                "region_code": (region or home or "")[:4] or None,
            }
        )
        return ref

    def identified_row(
        self,
        file: str,
        source_kind: str,
        source_ref: str,
        person: Mother,
        *,
        home: str | None = None,
        region: str | None = None,
        sex: str = "F",
    ) -> str:
        """`person_row` for an adult recorded with every identifier she holds (name, birth date, NIK, KK),
        living at `home` (default: her own)."""
        return self.person_row(
            file,
            source_kind,
            source_ref,
            name=person.name.full,
            sex=sex,
            birth_date=person.birth_date,
            nik=person.nik,
            kk=person.kk,
            home=person.home if home is None else home,
            region=region,
        )

    def facility_mother(self, mother: Mother, facility: Facility) -> str:
        if mother.ref_facility is None:
            mother.ref_facility = self.person_row(
                "people-facility.csv",
                "facility",
                facility.ref,
                name=mother.name.full,
                sex="F",
                birth_date=mother.birth_date,
                nik=mother.nik if self.rng.random() < 0.55 else None,
                home=mother.home,
                region=facility.regency,
            )
        return mother.ref_facility

    def registry_mother(self, mother: Mother, regency: str) -> str:
        if mother.ref_registry is None:
            mother.ref_registry = self.identified_row(
                "people-civil-registry.csv", "civil_registry", regency[:4], mother, region=regency
            )
        return mother.ref_registry

    def witnesses(self, count: int = 2) -> list[str]:
        return self.rng.sample(WITNESS_NAMES, count)

    # -- truth -------------------------------------------------------------------------------------

    def scheme(self, kind: str, description: str, *, ring: bool) -> str:
        scheme_id = f"X{len(self.schemes) + 1:03d}"
        self.schemes.append(
            {
                "scheme_id": scheme_id,
                "type": kind,
                "ring": "yes" if ring else "no",
                "description": description,
            }
        )
        return scheme_id

    def member(self, scheme_id: str, file: str, ref: str, role: str) -> None:
        self.members.append({"scheme_id": scheme_id, "file": file, "ref": ref, "role": role})

    def lookalike(self, kind: str, file: str, ref: str, description: str) -> None:
        self.lookalikes.append(
            {
                "lookalike_id": f"K{len(self.lookalikes) + 1:02d}",
                "type": kind,
                "file": file,
                "ref": ref,
                "description": description,
            }
        )
