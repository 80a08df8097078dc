"""The state shared by every generation step: the world, the output, randomness, and the people as they
truly are (each with a true id that only `truth/` ever sees)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from jaga.synth.ids import RefMaker, nik
from jaga.synth.names import MUSLIM_GROUPS, full_name, religion
from jaga.synth.noise import NameNoise, NoiseLog
from jaga.synth.output import Output
from jaga.synth.rand import Rand
from jaga.synth.scenario import Scenario
from jaga.synth.world import World

T = TypeVar("T")

# How much of the scenario's noise each agency's copy gets: the civil registry copies from documents.
SOURCE_NOISE = {
    "civil_registry": 0.3,
    "facility": 1.0,
    "institution": 1.0,
    "police": 1.0,
    "social_service": 0.6,
}


@dataclass
class TruePerson:
    tid: str
    name: str
    sex: str
    born: date | None
    nik: str | None
    district: str  # where the person lives
    group: str
    religion: str
    nationality: str = "IDN"
    records: dict[str, str] = field(default_factory=dict)  # "source:source_ref" -> record ref

    @property
    def first_name(self) -> str:
        parts = self.name.split()
        skip = {
            "Ni",
            "I",
            "Luh",
            "Putu",
            "Made",
            "Nyoman",
            "Ketut",
            "Wayan",
            "Kadek",
            "Komang",
            "Gede",
            "Nengah",
            "Siti",
            "Sri",
            "Andi",
        }
        for part in parts:
            if part not in skip:
                return part
        return parts[0]


@dataclass
class Context:
    scenario: Scenario
    world: World
    refs: RefMaker
    out: Output
    rng: Rand
    noise_log: NoiseLog = field(default_factory=NoiseLog)
    _people: int = 0
    _noise: dict[str, NameNoise] = field(default_factory=dict)

    def noise_for(self, source: str) -> NameNoise:
        """The name and date noise of one recording source (scaled from the scenario's rates)."""
        if source not in self._noise:
            scale = SOURCE_NOISE[source]
            scaled = {"typo", "old_spelling", "swap_day_month", "missing_birth_date", "different_address"}
            noise = self.scenario.noise
            rates = type(noise).model_validate(
                {k: (v * scale if k in scaled else v) for k, v in noise.model_dump().items()}
            )
            self._noise[source] = NameNoise(self.rng, rates, self.noise_log, tag=source)
        return self._noise[source]

    @property
    def start(self) -> date:
        return self.scenario.window.start

    @property
    def end(self) -> date:
        return self.scenario.window.end

    def day_between(self, first: date, last: date) -> date:
        span = (last - first).days
        return first + timedelta(days=int(self.rng.integers(0, max(span, 0) + 1)))

    def pick(self, items: Sequence[T]) -> T:
        return items[self.rng.integers(len(items))]

    def person(
        self,
        *,
        sex: str,
        born: date | None,
        district: str,
        group: str | None = None,
        with_nik: bool = True,
        birth_order: int = 1,
        nationality: str = "IDN",
        father_name: str | None = None,
    ) -> TruePerson:
        """A new true person (no record yet)."""
        self._people += 1
        group = group or self.world.group_for(self.rng, district[:2])
        name = full_name(self.rng, group, sex, birth_order)
        if father_name and group in MUSLIM_GROUPS and self.rng.random() < 0.2:
            name = f"{name} {'binti' if sex == 'F' else 'bin'} {father_name}"
        number = None
        if with_nik and born is not None and nationality == "IDN":
            issued = (
                district
                if self.rng.random() < 0.9
                else self.world.district_in(
                    self.rng,
                    self.pick(self.world.all_regencies).code,
                )
            )
            number = nik(issued, born, sex, self.refs.serial("nik" + issued))
        return TruePerson(
            f"T{self._people:08d}",
            name,
            sex,
            born,
            number,
            district,
            group,
            religion(self.rng, group),
            nationality,
        )

    def record(
        self,
        person: TruePerson,
        *,
        file: str,
        source: str,
        source_ref: str,
        region: str,
        role: str,
        name: str | None = None,
        known_born: date | bool | None = True,
        born_not_after: date | None = None,
    ) -> str:
        """This agency's record of `person` (once per agency office), noisy as the scenario says.

        `born_not_after`: the record goes with one dated then (a missing-child report's last-seen day), and
        the registry refuses a child seen before its recorded birth, so noise may not move the date past it.
        """
        key = f"{source}:{source_ref}"
        if key in person.records:
            return person.records[key]
        noise = self.scenario.noise
        noisy = self.noise_for(source)
        rates = noisy.rates
        written_name = noisy.name(name if name is not None else person.name)
        born = person.born if known_born is True else (known_born or None)
        given = born if isinstance(born, date) else None
        born = noisy.birth_date(born) if isinstance(born, date) else None
        if born_not_after is not None and born is not None and given is not None and born > born_not_after:
            born = given  # after the noise was drawn, so that the random stream stays the same
        missing_nik = {
            "facility": noise.missing_nik_facility,
            "institution": noise.missing_nik_institution,
            "police": noise.missing_nik_police,
        }.get(source, 0.0)
        number = person.nik
        if number is not None and self.noise_log.roll(self.rng, f"missing_nik:{source}", missing_nik):
            number = None
        address = person.district
        if person.nationality == "IDN" and self.noise_log.roll(
            self.rng, f"different_address:{source}", rates.different_address
        ):
            regency = address[:4] if self.rng.random() < 0.7 else self.pick(self.world.all_regencies).code
            address = self.world.district_in(self.rng, regency)
        ref = self.refs.ref("P")
        self.out.add(
            file,
            {
                "ref": ref,
                "source_kind": source,
                "source_ref": source_ref,
                "full_name": written_name or None,
                "nik": number,
                "sex": person.sex,
                "birth_date": born,
                "religion": person.religion if source in ("civil_registry", "social_service") else None,
                "nationality": person.nationality,
                "address_region_code": address if person.nationality == "IDN" else None,
                "region_code": region,
            },
        )
        self.out.identity(file, ref, person.tid, role)
        person.records[key] = ref
        return ref
