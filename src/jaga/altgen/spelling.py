"""How one agency writes a person's name: the Indonesian-specific variations (DOMAIN.md section 5).

Each variation is named; the names go into the truth file so that the linkage can be scored on records
that carry them. Typing and scanning errors are generic and live in `noise`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from jaga.altgen.naming import (
    ARABIC_FEMALE,
    ARABIC_MALE,
    MUHAMMAD_ABBREVIATIONS,
    MUHAMMAD_VARIANTS,
    Name,
)

MUSLIM_TRADITIONS = frozenset({"muslim_arabic", "javanese", "sundanese", "minang", "bugis"})
_SPELLINGS = {
    spelling: variants
    for pool in (ARABIC_MALE, ARABIC_FEMALE)
    for variants in pool.values()
    for spelling in variants
}

# Soewandi (1947) and EYD (1972) reversed: a modern name as an older document spells it.
_OLD_SPELLING = {"ny": "nj", "sy": "sj", "kh": "ch", "c": "tj", "j": "dj", "y": "j", "u": "oe"}
_OLD_PATTERN = re.compile("ny|sy|kh|c|j|y|u", re.IGNORECASE)

_CASTE_SHORT = {
    "Ida Bagus": "I.B.",
    "Ida Ayu": "I.A.",
    "Anak Agung": "A.A.",
    "Cokorda": "Cok.",
    "Gusti": "Gst.",
}
HONORIFICS = ("Ny.", "Ibu", "Bu", "Nyonya")
HAJJ = ("Hj.", "Hajjah", "Hj")
ACADEMIC_AFTER = ("S.Pd.", "S.E.", "S.Kep.", "A.Md.Keb.", "S.H.", "S.Pd.I", "SE")
ACADEMIC_BEFORE = ("Dr.", "dr.", "Ir.", "Dra.")


@dataclass(frozen=True)
class Rates:
    """Chances of each variation for one source and role (0 turns it off)."""

    muhammad: float = 0.5
    arabic: float = 0.25
    old_spelling: float = 0.05
    lead: float = 0.35
    clan: float = 0.25
    chinese: float = 0.3
    mononym: float = 0.1
    bin_binti: float = 0.0
    nickname: float = 0.0
    order: float = 0.05
    title: float = 0.0


def render_name(
    rng: random.Random, name: Name, *, sex: str, adult: bool, father: str, rates: Rates
) -> tuple[str, list[str]]:
    """The name as this record writes it, and the Indonesian-specific variations applied."""
    kinds: list[str] = []
    lead, given, clan = list(name.lead), list(name.given), name.clan

    if name.chinese and rng.random() < rates.chinese:
        kinds.append("chinese_alias")
        if rng.random() < 0.75:
            return _titled(
                rng, name.chinese, sex=sex, adult=adult, muslim=False, rates=rates, kinds=kinds
            ), kinds
        clan = f"{clan} alias {name.chinese}" if clan else name.chinese
    if name.muhammad and rng.random() < rates.muhammad:
        kinds.append("muhammad_variant")
        pool = MUHAMMAD_ABBREVIATIONS if rng.random() < 0.45 else MUHAMMAD_VARIANTS[1:]
        given[0] = rng.choice(pool)
    respelled = [_respell(rng, token, rates.arabic) for token in given]
    if respelled != given:
        kinds.append("arabic_spelling")
        given = respelled
    if rng.random() < rates.old_spelling:
        kinds.append("old_spelling")
        given = [_old_spelling(token) for token in given]
    if lead and rng.random() < rates.lead:
        kinds.append("lead_varied")
        lead = _vary_lead(rng, lead)
    if clan and name.tradition in ("batak", "minang", "eastern_christian") and rng.random() < rates.clan:
        if name.tradition == "batak" and sex == "F" and rng.random() < 0.6:
            kinds.append("clan_form")
            clan = f"{rng.choice(('br.', 'br', 'Br.', 'boru'))} {clan}"
        else:
            kinds.append("clan_dropped")
            clan = None
    if name.mononym and rng.random() < rates.mononym:
        kinds.append("mononym_extended")  # a second token the person never used: the father's name
        given.append(father)
    if rng.random() < rates.nickname:
        kinds.append("nickname")
        given, lead = [name.nickname], []
        clan = clan if rng.random() < 0.5 else None
    tokens = [*lead, *given, *([clan] if clan else [])]
    if name.tradition in MUSLIM_TRADITIONS and rng.random() < rates.bin_binti:
        kinds.append("bin_binti")
        word = rng.choice(("binti", "bt.", "binti")) if sex == "F" else rng.choice(("bin", "bin", "b."))
        tokens += [word, father]
    if len(tokens) >= 2 and rng.random() < rates.order:
        kinds.append("name_order")
        tokens = _reorder(rng, tokens, has_clan=clan is not None)
    muslim = name.tradition in MUSLIM_TRADITIONS
    return _titled(
        rng, " ".join(tokens), sex=sex, adult=adult, muslim=muslim, rates=rates, kinds=kinds
    ), kinds


def _respell(rng: random.Random, token: str, chance: float) -> str:
    variants = _SPELLINGS.get(token)
    if not variants or rng.random() >= chance:
        return token
    others = [v for v in variants if v != token]
    return rng.choice(others) if others else token


def _old_spelling(token: str) -> str:
    def swap(match: re.Match[str]) -> str:
        found = match.group(0)
        old = _OLD_SPELLING[found.lower()]
        return old.capitalize() if found[0].isupper() else old

    return _OLD_PATTERN.sub(swap, token)


def _vary_lead(rng: random.Random, lead: list[str]) -> list[str]:
    text = " ".join(lead)
    for full, short in _CASTE_SHORT.items():
        if full in text and rng.random() < 0.5:
            return text.replace(full, short).split()
    if lead[0] in ("I", "Ni", "Andi") and rng.random() < 0.6:
        return lead[1:] if lead[0] != "Andi" or rng.random() < 0.5 else ["A.", *lead[1:]]
    return lead[:-1] if len(lead) > 1 else lead  # the birth-order name left off


def _reorder(rng: random.Random, tokens: list[str], *, has_clan: bool) -> list[str]:
    if has_clan:
        last = tokens[-1]
        rest = " ".join(tokens[:-1])
        return [f"{last},", rest] if rng.random() < 0.5 else [last, rest]
    return [*tokens[1:], tokens[0]]


def _titled(
    rng: random.Random, text: str, *, sex: str, adult: bool, muslim: bool, rates: Rates, kinds: list[str]
) -> str:
    if rng.random() >= rates.title:
        return text
    kinds.append("title")
    if not adult:
        return f"{rng.choice(('An.', 'Anak', 'Sdr.'))} {text}"
    roll = rng.random()
    if roll < 0.45 and sex == "F":
        return f"{rng.choice(HONORIFICS)} {text}"
    if roll < 0.65 and muslim:  # after the pilgrimage
        return f"{rng.choice(HAJJ if sex == 'F' else ('H.', 'Haji'))} {text}"
    if roll < 0.9:
        return f"{text}, {rng.choice(ACADEMIC_AFTER)}"
    return f"{rng.choice(ACADEMIC_BEFORE)} {text}"
