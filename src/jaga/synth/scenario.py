"""Scenario files: how big, where, how noisy, and which trafficking schemes to plant, how well hidden.

A scenario is TOML (see docs/synth.md for every key); anything left out takes the default below. It is
validated like any other input: an unknown key or an impossible value is refused with its path.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jaga.errors import InvalidInput

Rate = Annotated[float, Field(ge=0.0, le=1.0)]
Count = Annotated[int, Field(ge=0, le=10_000)]
Hidden = Annotated[
    float, Field(ge=0.0, le=1.0, description="0 = blatant, 1 = as well hidden as the scheme allows")
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Window(Strict):
    start: date = date(2020, 1, 1)
    end: date = date(2025, 12, 31)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("window.end must be after window.start")
        if self.end > date(2025, 12, 31) or self.start < date(1990, 1, 1):
            raise ValueError(
                "the window must lie between 1990-01-01 and 2025-12-31 (no births in the future)"
            )
        return self


class Population(Strict):
    """Base rates of the legitimate population (not the schemes)."""

    home_birth: Rate = 0.12  # share of births outside facilities (SUSENAS: roughly one in ten)
    registered_within_60_days: Rate = 0.55
    registered_late: Rate = 0.37  # registered after 60 days (the rest: not yet registered)
    relinquishment: Rate = 0.001  # legitimate relinquishments per birth
    adoption_after_relinquishment: Rate = 0.6
    intercountry_share: Rate = 0.05  # of legitimate adoptions
    missing_reports_per_birth: Rate = 0.0005
    mother_without_nik: Rate = 0.08
    expired_licence_share: Rate = 0.1  # institutions whose licence lapsed (and that stopped taking children)

    @model_validator(mode="after")
    def _registration_shares(self) -> Self:
        if self.registered_within_60_days + self.registered_late > 1:
            raise ValueError("registered_within_60_days + registered_late must not exceed 1")
        return self


class Noise(Strict):
    """How each agency's copy of a person differs from the truth (probabilities per record)."""

    typo: Rate = 0.06
    old_spelling: Rate = 0.05
    muhammad_variant: Rate = 0.6  # of names containing Muhammad
    drop_bin_binti: Rate = 0.5  # of names carrying bin/binti
    swap_day_month: Rate = 0.02  # of birth dates with day <= 12
    missing_birth_date: Rate = 0.05
    different_address: Rate = 0.1
    missing_nik_facility: Rate = 0.3
    missing_nik_institution: Rate = 0.5
    missing_nik_police: Rate = 0.6


class ClinicRing(Strict):
    """A facility whose poor, out-of-area mothers relinquish far above its peers, to buyers, fast."""

    count: Count = 1
    babies: tuple[int, int] = (20, 40)  # ring babies per ring
    attendants: Annotated[int, Field(ge=1, le=5)] = 2  # the attendants at (nearly) every ring birth
    out_of_area: Rate = 0.8  # ring mothers whose address is in another province
    via_institution: Rate = 0.6  # ring babies passing through the ring's institution
    falsified_registration: Rate = 0.3  # ring babies registered as the buyer's child
    hidden: Hidden = 0.3


class FalsifiedCertificates(Strict):
    """Births registered with a buyer as the mother: no facility record, SPTJM, late, far from home."""

    count: Count = 1
    certificates: tuple[int, int] = (8, 15)
    hidden: Hidden = 0.3


class FakeInstitution(Strict):
    """A foundation without a child-care licence, or with a lapsed one, taking in babies."""

    count: Count = 1
    children: tuple[int, int] = (6, 12)
    lapsed_share: Rate = 0.5  # lapsed licence rather than none at all
    hidden: Hidden = 0.3


class IntercountrySkip(Strict):
    """Children placed with foreign adopters while their cases stop short of the permit and the court."""

    count: Count = 1
    children: tuple[int, int] = (3, 6)
    hidden: Hidden = 0.3


class MissingReappears(Strict):
    """A child reported missing who turns up as an institution intake or adoption elsewhere."""

    count: Count = 3
    hidden: Hidden = 0.3


class CorruptRegistrar(Strict):
    """A registrar who signs a disproportionate share of the suspicious registrations."""

    count: Count = 1
    registrations: tuple[int, int] = (12, 25)
    hidden: Hidden = 0.3


class Schemes(Strict):
    clinic_ring: ClinicRing = ClinicRing()
    falsified_certificates: FalsifiedCertificates = FalsifiedCertificates()
    fake_institution: FakeInstitution = FakeInstitution()
    intercountry_skip: IntercountrySkip = IntercountrySkip()
    missing_reappears: MissingReappears = MissingReappears()
    corrupt_registrar: CorruptRegistrar = CorruptRegistrar()


class Lookalikes(Strict):
    """Legitimate entities that resemble schemes, so that detectors are punished for false alarms."""

    referral_hospitals: Count = 1  # many legitimate relinquishments (referrals), at a modestly higher rate
    referral_relinquishment_multiplier: Annotated[float, Field(ge=1.0, le=10.0)] = 3.0
    late_registration_regions: Count = 1  # a regency where most registrations are late, legitimately


class Tips(Strict):
    """Tips from the public (`/lapor`): what a few citizens report, mostly about nothing planted.

    Only what a citizen can see is tipped: a clinic ring's or a foundation's offers online. Registrars'
    signatures, intercountry files and renamed missing children are never seen from outside, so those
    schemes get no tips. These rates are assumptions, not measurements: nobody publishes how many
    offers of babies are reported, or what reports say.
    """

    ring_tipped: Rate = 0.3  # share of clinic rings that someone reports (most are never reported)
    institution_tipped: Rate = 0.3  # share of fake institutions that someone reports
    per_tipped_scheme: tuple[int, int] = (1, 3)  # tips about one reported scheme (one post, several readers)
    names_entity: Rate = 0.5  # of tips about a scheme: those naming its clinic, midwife or foundation
    misspelt: Rate = 0.25  # of named entities: typed with a slip
    innocent_per_10k_births: Annotated[float, Field(ge=0.0, le=1000.0)] = 3.0  # naming an innocent place
    lookalike_share: Rate = 0.3  # of those: naming a look-alike (a referral hospital hands babies over)
    vague_per_10k_births: Annotated[float, Field(ge=0.0, le=1000.0)] = 6.0  # naming nothing in the registry


class Scenario(Strict):
    name: str = "default"
    province: str | None = Field(default=None, description="two-digit province code; None = all Indonesia")
    window: Window = Window()
    population: Population = Population()
    noise: Noise = Noise()
    schemes: Schemes = Schemes()
    lookalikes: Lookalikes = Lookalikes()
    tips: Tips = Tips()

    @model_validator(mode="after")
    def _province_exists(self) -> Self:
        if self.province is not None:
            from jaga.regions import load_directory

            region = load_directory().get(self.province)
            if region is None or len(self.province) != 2:
                raise ValueError(f"province {self.province!r} is not a two-digit province code")
        for name in (
            "clinic_ring",
            "falsified_certificates",
            "fake_institution",
            "intercountry_skip",
            "corrupt_registrar",
        ):
            scheme = getattr(self.schemes, name)
            for field in ("babies", "certificates", "children", "registrations"):
                low_high = getattr(scheme, field, None)
                if low_high is not None and not 0 <= low_high[0] <= low_high[1] <= 10_000:
                    raise ValueError(f"schemes.{name}.{field} must be [low, high] with 0 <= low <= high")
        low, high = self.tips.per_tipped_scheme
        if not 0 <= low <= high <= 100:
            raise ValueError("tips.per_tipped_scheme must be [low, high] with 0 <= low <= high <= 100")
        return self


def load_scenario(path: Path | None) -> Scenario:
    """The default scenario, or the one in `path` (TOML), with every problem named by its key path."""
    if path is None:
        return Scenario()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInput(f"scenario file {path} does not exist") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"scenario file {path.name} is not valid TOML: {exc}") from exc
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'scenario'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors(include_input=False, include_url=False)
        )
        raise InvalidInput(f"scenario file {path.name}: {problems}") from exc
