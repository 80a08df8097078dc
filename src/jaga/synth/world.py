"""The synthetic country's fixed cast: regions and their weights, facilities and their attendants,
registrars and other officials, child-care institutions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from jaga.regions import Region, RegionLevel, load_directory
from jaga.synth.census import PROVINCE_POPULATION, group_shares
from jaga.synth.ids import RefMaker
from jaga.synth.names import full_name
from jaga.synth.rand import Rand, cumulative
from jaga.synth.scenario import Scenario

FACILITY_KINDS = ("hospital", "puskesmas", "clinic", "midwife_practice")
FACILITY_SHARES = (0.38, 0.25, 0.17, 0.20)  # of facility births
BIRTHS_PER_FACILITY = {
    "hospital": 800,
    "puskesmas": 300,
    "clinic": 200,
    "midwife_practice": 120,
}  # per window
ATTENDANTS = {"hospital": (6, 12), "puskesmas": (3, 6), "clinic": (2, 4), "midwife_practice": (1, 2)}
WEALTHY_REGENCIES = ("3171", "3172", "3173", "3174", "3175", "3578", "3273", "1275", "3374", "5171")
FOREIGN = ("SGP", "MYS", "NLD", "USA", "AUS", "DEU", "FRA", "BEL")


@dataclass
class Attendant:
    ref: str
    name: str
    kind: str
    registration: str | None
    facility_ref: str | None
    region: str


@dataclass
class Facility:
    ref: str
    name: str
    kind: str
    licence: str
    district: str
    attendants: list[Attendant] = field(default_factory=list)

    @property
    def regency(self) -> str:
        return self.district[:4]


@dataclass
class Official:
    ref: str
    name: str
    role: str
    office: str
    nip: str
    region: str


@dataclass
class Institution:
    ref: str
    name: str
    kind: str
    district: str
    licence: str | None
    issuer: str | None
    valid_from: date | None
    valid_until: date | None
    status: str
    foundation: str | None

    def licensed_on(self, day: date) -> bool:
        return (
            self.licence is not None
            and self.status == "active"
            and self.valid_from is not None
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )


@dataclass
class World:
    scenario: Scenario
    regencies: list[Region]
    regency_weights: list[float]
    districts: dict[str, list[str]]
    facilities: list[Facility]
    facilities_by_regency: dict[str, list[Facility]]
    registrars: dict[str, list[Official]]
    social_workers: dict[str, list[Official]]  # by province
    court_clerks: dict[str, list[Official]]  # by province
    institutions: list[Institution]
    all_regencies: list[Region]  # the whole country, for out-of-area mothers and buyers
    regency_cum: list[float] = field(default_factory=list)
    _group_cum: dict[str, tuple[list[str], list[float]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.regency_cum = cumulative(self.regency_weights)

    def random_regency(self, rng: Rand) -> Region:
        return self.regencies[rng.weighted(self.regency_cum)]

    def group_for(self, rng: Rand, province: str) -> str:
        cached = self._group_cum.get(province)
        if cached is None:
            shares = group_shares(province)
            cached = (list(shares), cumulative(list(shares.values())))
            self._group_cum[province] = cached
        names, cum = cached
        return names[rng.weighted(cum)]

    def official(self, rng: Rand, role: str, region: str) -> Official:
        """A social worker or court clerk of the province, or a registrar of the regency (any region's
        when the scenario has none there)."""
        if role == "registrar":
            pool, key = self.registrars, region[:4]
        else:
            pool, key = (self.social_workers if role == "social_worker" else self.court_clerks), region[:2]
        options = pool.get(key) or next(iter(pool.values()))
        return options[rng.integers(len(options))]

    def district_in(self, rng: Rand, regency: str) -> str:
        options = self.districts[regency]
        return options[int(rng.integers(len(options)))]

    def institutions_in(self, province: str, day: date) -> list[Institution]:
        found = [i for i in self.institutions if i.district[:2] == province and i.licensed_on(day)]
        return found or [i for i in self.institutions if i.licensed_on(day)]


def _regencies_in_scope(scenario: Scenario) -> tuple[list[Region], list[float], list[Region]]:
    directory = load_directory()
    regions = directory.all()
    all_regencies = [r for r in regions if r.level == RegionLevel.REGENCY]
    district_counts: dict[str, int] = {}
    for r in regions:
        if r.level == RegionLevel.DISTRICT:
            district_counts[r.code[:4]] = district_counts.get(r.code[:4], 0) + 1
    chosen = [r for r in all_regencies if scenario.province is None or r.code[:2] == scenario.province]
    # Within a province, regencies are weighted by their number of districts (a proxy for population
    # that ships with the region list); provinces by their census population.
    province_districts: dict[str, int] = {}
    for r in chosen:
        province_districts[r.code[:2]] = province_districts.get(r.code[:2], 0) + district_counts.get(
            r.code, 1
        )
    weights = [
        PROVINCE_POPULATION[r.code[:2]] * district_counts.get(r.code, 1) / province_districts[r.code[:2]]
        for r in chosen
    ]
    total = sum(weights)
    return chosen, [w / total for w in weights], all_regencies


def build_world(scenario: Scenario, births: int, rng: Rand, refs: RefMaker) -> World:
    regencies, weights, all_regencies = _regencies_in_scope(scenario)
    directory = load_directory()
    districts: dict[str, list[str]] = {}
    for r in directory.all():
        if r.level == RegionLevel.DISTRICT:
            districts.setdefault(r.code[:4], []).append(r.code)
    expected = [w * births for w in weights]
    facilities: list[Facility] = []
    by_regency: dict[str, list[Facility]] = {}
    registrars: dict[str, list[Official]] = {}
    for regency, expected_births in zip(regencies, expected, strict=True):
        local: list[Facility] = []
        for kind, share in zip(FACILITY_KINDS, FACILITY_SHARES, strict=True):
            # Stochastic rounding keeps the expected number of facilities right in small runs too.
            wanted = expected_births * share / BIRTHS_PER_FACILITY[kind]
            count = int(wanted) + int(rng.random() < wanted - int(wanted))
            if kind == "hospital":  # every regency has at least its RSUD
                count = max(1, min(count, 40))
            for _ in range(count):
                local.append(new_facility(rng, refs, kind, districts, regency))
        by_regency[regency.code] = local
        facilities.extend(local)
        registrars[regency.code] = [
            _official(rng, refs, "registrar", f"Disdukcapil {regency.name}", regency.code)
            for _ in range(1 + min(6, int(expected_births // 4000)))
        ]
    provinces = sorted({r.code[:2] for r in regencies})
    social_workers = {
        p: [
            _official(rng, refs, "social_worker", f"Dinas Sosial Provinsi {directory.require(p).name}", p)
            for _ in range(3)
        ]
        for p in provinces
    }
    court_clerks = {
        p: [
            _official(rng, refs, "court_clerk", f"Pengadilan Negeri, {directory.require(p).name}", p)
            for _ in range(2)
        ]
        for p in provinces
    }
    institutions = []
    for p in provinces:
        province_births = births * sum(w for r, w in zip(regencies, weights, strict=True) if r.code[:2] == p)
        for _ in range(max(2, int(province_births // 15000))):
            institutions.append(_institution(rng, refs, scenario, p, districts, regencies))
    return World(
        scenario,
        regencies,
        weights,
        districts,
        facilities,
        by_regency,
        registrars,
        social_workers,
        court_clerks,
        institutions,
        all_regencies,
    )


_FACILITY_NAMES = {
    "hospital": ("RSUD", "RS Bhayangkara", "RSIA", "RS Islam", "RS Umum", "RS Bersalin"),
    "puskesmas": ("Puskesmas",),
    "clinic": ("Klinik Pratama", "Klinik Utama", "Klinik Bersalin", "Klinik Ibu dan Anak"),
    "midwife_practice": ("Praktik Mandiri Bidan", "PMB", "BPM"),
}
_FACILITY_WORDS = (
    "Sehat",
    "Bunda",
    "Harapan",
    "Kasih",
    "Mulia",
    "Sejahtera",
    "Permata",
    "Medika",
    "Husada",
    "Citra",
    "Mitra",
    "Sentosa",
    "Amanah",
    "Insani",
    "Al Ihsan",
    "Pelita",
)


def new_facility(
    rng: Rand, refs: RefMaker, kind: str, districts: dict[str, list[str]], regency: Region
) -> Facility:
    district = districts[regency.code][int(rng.integers(len(districts[regency.code])))]
    prefix = _FACILITY_NAMES[kind][int(rng.integers(len(_FACILITY_NAMES[kind])))]
    word = _FACILITY_WORDS[int(rng.integers(len(_FACILITY_WORDS)))]
    name = f"{prefix} {word} {regency.name.removeprefix('Kab. ').removeprefix('Kota ')}"
    facility = Facility(
        refs.ref("F"), name, kind, f"{regency.code}/{kind[:3].upper()}/{refs.serial('lic')}", district
    )
    low, high = ATTENDANTS[kind]
    group_rng_province = regency.code[:2]
    for _ in range(int(rng.integers(low, high + 1))):
        facility.attendants.append(_attendant(rng, refs, facility, group_rng_province))
    return facility


def _attendant(rng: Rand, refs: RefMaker, facility: Facility, province: str) -> Attendant:
    kind = "doctor" if facility.kind == "hospital" and rng.random() < 0.35 else "midwife"
    shares = group_shares(province)
    group = list(shares)[rng.weighted(cumulative(list(shares.values())))]
    sex = "F" if kind == "midwife" or rng.random() < 0.5 else "M"
    title = "Bidan " if kind == "midwife" and rng.random() < 0.2 else ("dr. " if kind == "doctor" else "")
    return Attendant(
        refs.ref("A"),
        title + full_name(rng, group, sex),
        kind,
        f"STR-{refs.serial('str'):07d}",
        facility.ref,
        facility.district[:4],
    )


def _official(rng: Rand, refs: RefMaker, role: str, office: str, region: str) -> Official:
    shares = group_shares(region[:2])
    group = list(shares)[rng.weighted(cumulative(list(shares.values())))]
    sex = "F" if rng.random() < 0.5 else "M"
    born = date(1965, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 30)))
    appointed = 2000 + int(rng.integers(0, 22))
    serial = refs.serial("nip") % 1000
    # NIP: birth date, appointment year and month, sex digit, serial (BKN's 18-digit layout)
    nip = (
        f"{born:%Y%m%d}{appointed:04d}{int(rng.integers(1, 13)):02d}{'2' if sex == 'F' else '1'}{serial:03d}"
    )
    return Official(refs.ref("O"), full_name(rng, group, sex), role, office, nip, region)


def _institution(
    rng: Rand,
    refs: RefMaker,
    scenario: Scenario,
    province: str,
    districts: dict[str, list[str]],
    regencies: list[Region],
) -> Institution:
    local = [r for r in regencies if r.code[:2] == province]
    regency = local[int(rng.integers(len(local)))]
    district = districts[regency.code][int(rng.integers(len(districts[regency.code])))]
    word = _FACILITY_WORDS[int(rng.integers(len(_FACILITY_WORDS)))]
    kind = "lksa" if rng.random() < 0.8 else "adoption_foundation"
    place = regency.name.removeprefix("Kab. ").removeprefix("Kota ")
    name = f"{'LKSA' if kind == 'lksa' else 'Yayasan'} {word} {place}"
    valid_from = date(2015, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 4)))
    expired = rng.random() < scenario.population.expired_licence_share
    valid_until = date(2019, 6, 30) if expired else date(2030, 12, 31)
    issuer = (
        "Kementerian Sosial"
        if kind == "adoption_foundation"
        else f"Dinas Sosial Provinsi {load_directory().require(province).name}"
    )
    return Institution(
        refs.ref("I"),
        name,
        kind,
        district,
        f"{province}/LKSA/{refs.serial('lksa'):05d}",
        issuer,
        valid_from,
        valid_until,
        "active",
        f"AHU-{refs.serial('ahu'):07d}.AH.01.04",
    )
