"""Tips the public sends through `/lapor`: `tips.csv` in the fields the form takes (`jaga.tips.TipIn`),
and what each tip is truly about in `truth/tip_subjects.csv`.

A citizen sees an offer online: a post, an account, a WhatsApp number, a price, maybe the name of the
clinic, the midwife or the foundation behind it, typed as people type names (`tip_text`). So:

* a few clinic rings and fake foundations are reported (`tips.ring_tipped`, `tips.institution_tipped`),
  each by one to a few tips that share the seller's number, account or post; some of those tips name
  the clinic, a ring midwife or the ring's foundation, the others only the seller;
* more tips name an innocent facility, institution or midwife (rumour, a rival, a referral hospital
  seen handing babies over), and more still name nothing in the registry at all.

Registrars' signatures, intercountry files and renamed missing children cannot be seen from outside,
so those schemes are never tipped. No registry file holds a seller's phone number (facilities and
institutions have no phone column to import), so tips reach the registry by names only; their phones
and accounts can only tie tips to each other. Tips draw from a random stream of their own (seeded from
the run's seed): the registry files are byte for byte the same with or without them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from jaga.synth import tip_text
from jaga.synth.output import Output
from jaga.synth.rand import Rand
from jaga.synth.scenario import Tips
from jaga.synth.schemes import Schemes
from jaga.synth.world import Facility, World

TIPS_FILE = "tips.csv"
TIP_COLUMNS = ("platform", "url", "handle", "phone", "place", "province", "price_rupiah", "description")
TRUTH_FILE = "tip_subjects.csv"
SELLER_REUSED = 0.2  # vague tips about a seller already reported (one account posting again and again)


@dataclass(frozen=True)
class Target:
    """A registry entity a tipster names: a facility, an institution or a birth attendant."""

    file: str
    ref: str
    name: str
    district: str

    @property
    def attendant(self) -> bool:
        return self.file == "attendants.csv"


@dataclass(frozen=True)
class Seller:
    platform: str
    phone: str | None
    handle: str | None
    url: str | None


@dataclass(frozen=True)
class About:
    kind: str  # scheme | innocent | lookalike | vague
    scheme_id: str = ""


def tip_seed(seed: int) -> int:
    """The tips' own random seed, derived from the run's (so that tips leave the other files alone)."""
    return int.from_bytes(hashlib.sha256(f"jaga synth tips {seed}".encode()).digest()[:8], "big")


def write_tips(
    output: Output,
    world: World,
    config: Tips,
    schemes: Schemes,
    referral: list[Facility],
    *,
    births: int,
    seed: int,
) -> int:
    """Write `tips.csv` (shuffled) and its truth; the number of tips."""
    writer = _Tips(Rand(tip_seed(seed)), world, config, schemes, referral)
    rows = writer.all(births)
    order = writer.rng.permutation(len(rows))
    output.extra(TIPS_FILE, TIP_COLUMNS, [rows[i][0] for i in order])
    for number, i in enumerate(order, start=1):
        output.truth(TRUTH_FILE, number, *rows[i][1])
    return len(rows)


class _Tips:
    def __init__(
        self, rng: Rand, world: World, config: Tips, schemes: Schemes, referral: list[Facility]
    ) -> None:
        self.rng, self.world, self.config, self.schemes = rng, world, config, schemes
        self.lookalikes = [_facility(f) for f in referral]
        self.lookalike_refs = {f.ref for f in referral}
        self.facilities = {f.ref: f for f in world.facilities}
        self.planted = {r.facility.ref for r in schemes.rings}
        self.planted |= {a.ref for r in schemes.rings for a in r.attendants}
        self.planted |= {r.institution.ref for r in schemes.rings if r.institution}
        self.planted |= {
            i.institution.ref for i in schemes.instances.get("fake_institution", []) if i.institution
        }

    def all(self, births: int) -> list[tuple[list[str | None], tuple[str, ...]]]:
        rng, config = self.rng, self.config
        rows = []
        for ring in self.schemes.rings:
            if rng.random() >= config.ring_tipped:
                continue
            about = About("scheme", ring.scheme_id)
            seller = self._seller(ring.facility.district)
            for _ in range(self._per_scheme()):
                roll = rng.random()
                if roll < 0.3 and ring.attendants:
                    target = self._attendant(ring.attendants[rng.integers(len(ring.attendants))].ref)
                elif roll < 0.45 and ring.institution is not None:
                    target = _institution(
                        ring.institution.ref, ring.institution.name, ring.institution.district
                    )
                else:
                    target = _facility(ring.facility)
                named = target if rng.random() < config.names_entity else None
                rows.append(self._tip(about, named, seller, ring.facility.district))
        for instance in self.schemes.instances.get("fake_institution", []):
            institution = instance.institution
            if institution is None or rng.random() >= config.institution_tipped:
                continue
            about = About("scheme", instance.scheme_id)
            seller = self._seller(institution.district)
            target = _institution(institution.ref, institution.name, institution.district)
            for _ in range(self._per_scheme()):
                named = target if rng.random() < config.names_entity else None
                rows.append(self._tip(about, named, seller, institution.district))
        for _ in range(self._count(births * config.innocent_per_10k_births / 10_000)):
            if self.lookalikes and rng.random() < config.lookalike_share:
                target = self.lookalikes[rng.integers(len(self.lookalikes))]
            else:
                target = self._innocent()
            kind = "lookalike" if target.ref in self.lookalike_refs else "innocent"
            rows.append(self._tip(About(kind), target, self._seller(target.district), target.district))
        sellers: list[tuple[Seller, str]] = []
        for _ in range(self._count(births * config.vague_per_10k_births / 10_000)):
            if sellers and rng.random() < SELLER_REUSED:
                seller, district = sellers[rng.integers(len(sellers))]
            else:
                district = self.world.district_in(rng, self.world.random_regency(rng).code)
                seller = self._seller(district)
                sellers.append((seller, district))
            rows.append(self._tip(About("vague"), None, seller, district))
        return rows

    # --- who and what --------------------------------------------------------------------------

    def _count(self, expected: float) -> int:
        whole = int(expected)  # stochastic rounding: small runs get the expected number on average
        return whole + int(self.rng.random() < expected - whole)

    def _per_scheme(self) -> int:
        low, high = self.config.per_tipped_scheme
        return int(self.rng.integers(low, high + 1))

    def _attendant(self, ref: str) -> Target:
        for facility in self.facilities.values():
            for attendant in facility.attendants:
                if attendant.ref == ref:
                    return Target("attendants.csv", ref, attendant.name, facility.district)
        raise AssertionError(f"attendant {ref} has no facility")

    def _innocent(self) -> Target:
        """A facility, institution or midwife that no scheme involves, as rumour picks them: mostly
        clinics and midwife practices, then hospitals and puskesmas, then institutions and midwives."""
        rng, world = self.rng, self.world
        roll = rng.random()
        if roll < 0.8:
            kinds = ("clinic", "midwife_practice") if roll < 0.55 else ("hospital", "puskesmas")
            options = [f for f in world.facilities if f.kind in kinds and f.ref not in self.planted]
            options = options or [f for f in world.facilities if f.ref not in self.planted]
            return _facility(options[rng.integers(len(options))])
        if roll < 0.9:
            institutions = [i for i in world.institutions if i.ref not in self.planted]
            if institutions:
                chosen = institutions[rng.integers(len(institutions))]
                return _institution(chosen.ref, chosen.name, chosen.district)
        midwives = [
            (a, f)
            for f in world.facilities
            if f.ref not in self.planted
            for a in f.attendants
            if a.kind == "midwife" and a.ref not in self.planted
        ]
        attendant, facility = midwives[rng.integers(len(midwives))]
        return Target("attendants.csv", attendant.ref, attendant.name, facility.district)

    def _seller(self, district: str) -> Seller:
        rng = self.rng
        platform = tip_text.PLATFORMS[rng.weighted(tip_text.PLATFORM_WEIGHTS)]
        regency = district[:4]
        place = next((r.name for r in self.world.all_regencies if r.code == regency), "Indonesia")
        place = place.removeprefix("Kab. ").removeprefix("Kota ")
        group = self.world.group_for(rng, district[:2])
        number = tip_text.phone(rng) if rng.random() < (0.9 if platform == "whatsapp" else 0.6) else None
        handle = (
            tip_text.seller_handle(rng, platform, place, group)
            if platform != "whatsapp" or rng.random() < 0.3
            else None
        )
        url = tip_text.link(rng, platform, handle) if rng.random() < 0.7 else None
        return Seller(platform, number, handle, url)

    # --- one tip -------------------------------------------------------------------------------

    def _tip(
        self, about: About, target: Target | None, seller: Seller, district: str
    ) -> tuple[list[str | None], tuple[str, ...]]:
        rng, config = self.rng, self.config
        phone = seller.phone if seller.phone and rng.random() < 0.75 else None
        handle = seller.handle if seller.handle and rng.random() < 0.75 else None
        url = seller.url if seller.url and rng.random() < 0.6 else None
        form, description = "none", None
        if target is not None and not target.attendant and rng.random() < 0.15:
            handle, form = "@" + tip_text.account_of(target.name), "account"  # it posts as itself
        elif target is not None:
            named = (
                tip_text.midwife(rng, target.name, config.misspelt)
                if target.attendant
                else tip_text.organisation(rng, target.name, config.misspelt)
            )
            form = named.form
            description = tip_text.NAMED[rng.integers(len(tip_text.NAMED))].format(name=named.text)
        if description is None and (rng.random() < 0.85 or not (phone or handle or url)):
            description = tip_text.UNNAMED[rng.integers(len(tip_text.UNNAMED))]
        place = tip_text.place_text(rng, district) if rng.random() < 0.65 else None
        province = district[:2] if rng.random() < 0.35 else None
        price = tip_text.price(rng) if rng.random() < 0.55 else None
        row = [seller.platform, url, handle, phone, place, province, price, description]
        truth = (
            about.kind,
            about.scheme_id,
            target.file if target else "",
            target.ref if target else "",
            form,
        )
        return row, truth


def _facility(facility: Facility) -> Target:
    return Target("facilities.csv", facility.ref, facility.name, facility.district)


def _institution(ref: str, name: str, district: str) -> Target:
    return Target("institutions.csv", ref, name, district)
