"""What a tip names that the registry (or an earlier tip) also holds.

A tip's phone number is compared with people's phone numbers; its text (the account name, the
description, the tipster's additions) with the names of facilities, child-care institutions and birth
attendants; its link, account name and phone with earlier tips. Names are compared as Indonesian names
are written (`jaga.names`: old spellings, variants), and organisations' abbreviations are expanded first,
so that "Yay. Kasih Bunda" names "Yayasan Kasih Bunda" and "@kasihbunda" names it as an account.

Each match says which field of the tip matched, which record, how, and how sure it is (`strength`):
a phone or a whole name is strong; a name without its "Yayasan"/"Klinik" word, or an account name that
spells an organisation's name, is weaker. Matches are leads for an officer, never findings.

Cost: facilities, institutions and attendants are read and compared in Python for each tip, and people's
phone numbers are compared in SQL without an index (a full scan of `people`). Tips are typed by people,
a few a minute at most; the registry's own columns cannot be changed for this without rewriting the
ledgered state of every row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from jaga.names import basic_form, canonical_token, is_common_token
from jaga.registry import Attendant, Facility, Institution, Person, phone_digits
from jaga.tips.fields import compact, handle_key, url_key
from jaga.tips.models import Tip, TipMatch

STRONG, NAME, WEAK = 0.9, 0.75, 0.5

# Abbreviations organisations are written with, in Indonesian records and advertisements.
_ABBREVIATIONS = {
    "yay": ("yayasan",),
    "yys": ("yayasan",),
    "ysn": ("yayasan",),
    "rs": ("rumah", "sakit"),
    "rsia": ("rumah", "sakit", "ibu", "anak"),
    "rsb": ("rumah", "sakit", "bersalin"),
    "rsu": ("rumah", "sakit", "umum"),
    "rsud": ("rumah", "sakit", "umum", "daerah"),
    "kl": ("klinik",),
    "pkm": ("puskesmas",),
    "bpm": ("bidan", "praktik", "mandiri"),
    "pmb": ("praktik", "mandiri", "bidan"),
    "praktek": ("praktik",),
    "lksa": ("lembaga", "kesejahteraan", "sosial", "anak"),
}
# Words that say what kind of place it is, not which one.
_GENERIC = frozenset(
    {
        "yayasan", "klinik", "rumah", "sakit", "ibu", "dan", "anak", "bersalin", "umum", "daerah",
        "puskesmas", "bidan", "praktik", "mandiri", "panti", "asuhan", "lembaga", "kesejahteraan",
        "sosial", "pratama", "utama", "pt", "cv",
    }
)  # fmt: skip


def name_tokens(text: str) -> tuple[str, ...]:
    """Canonical tokens of a name or a text, abbreviations expanded: `Yay. Kasih Bunda` ->
    (`yayasan`, `kasih`, `bunda`)."""
    tokens: list[str] = []
    for word in basic_form(text).split():
        for part in _ABBREVIATIONS.get(word, (word,)):
            token = canonical_token(part)
            if token:
                tokens.append(token)
    return tuple(tokens)


def core_tokens(tokens: Sequence[str]) -> tuple[str, ...]:
    """The words that tell one organisation from another (without `yayasan`, `klinik` ...)."""
    return tuple(t for t in tokens if t not in _GENERIC)


def contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """Whether `needle` occurs in `haystack` as consecutive tokens."""
    size = len(needle)
    if not size or size > len(haystack):
        return False
    first = needle[0]
    return any(
        haystack[i] == first and tuple(haystack[i : i + size]) == tuple(needle)
        for i in range(len(haystack) - size + 1)
    )


@dataclass(frozen=True)
class Found:
    field: str
    target_type: str
    target_ref: str
    target_region_code: str
    method: str
    strength: float


def _phone_digits(phone: str) -> list[str]:
    """The digit strings a stored phone may reduce to: `6281...` and `081...` for Indonesian numbers."""
    digits = phone.lstrip("+")
    return [digits, "0" + digits[2:]] if digits.startswith("62") else [digits]


def phone_query(phone: str) -> Select[str, str]:
    """People whose phone, without separators, is the tip's (looked up in `ix_people_phone_digits`)."""
    return select(Person.ref, Person.region_code).where(phone_digits(Person.phone).in_(_phone_digits(phone)))


def match_phone(session: Session, phone: str) -> list[Found]:
    rows = session.execute(phone_query(phone))
    return [Found("phone", "person", ref, region, "phone", STRONG) for ref, region in rows]


def _organisations(session: Session) -> Iterable[tuple[str, str, str, str]]:
    """(type, ref, region, name) of every facility, institution and attendant."""
    for kind, model, column in (
        ("facility", Facility, Facility.name),
        ("institution", Institution, Institution.name),
        ("attendant", Attendant, Attendant.full_name),
    ):
        for ref, region, name in session.execute(select(model.ref, model.region_code, column)):
            yield kind, ref, region, name


def match_names(session: Session, texts: dict[str, str], handle: str | None, url: str | None) -> list[Found]:
    tokenised = {field: name_tokens(text) for field, text in texts.items()}
    account = compact(handle_key(handle)) if handle else ""
    path_words = {compact(part) for part in (url_key(url).split("?")[0].split("/")[1:] if url else [])}
    found: list[Found] = []
    for kind, ref, region, name in _organisations(session):
        tokens = name_tokens(name)
        core = core_tokens(tokens) if kind != "attendant" else tokens
        if not core or (kind == "attendant" and (len(core) < 2 or all(is_common_token(t) for t in core))):
            continue  # a single given name, or "Wayan Made", identifies nobody
        for field, words in tokenised.items():
            if len(tokens) >= 2 and contains(words, tokens):
                found.append(Found(field, kind, ref, region, "name", NAME))
            elif kind != "attendant" and len(core) >= 2 and contains(words, core):
                found.append(Found(field, kind, ref, region, "name_core", WEAK))
        spelled = {"".join(core), "".join(tokens)}
        if account and len(account) >= 6 and account in spelled:
            found.append(Found("handle", kind, ref, region, "handle", WEAK))
        if path_words & {s for s in spelled if len(s) >= 6}:
            found.append(Found("url", kind, ref, region, "url", WEAK))
    return found


def match_tips(session: Session, tip: Tip) -> list[Found]:
    """Earlier and later tips naming the same phone, link or account."""
    found: list[Found] = []
    mine_url = url_key(tip.url) if tip.url else None
    mine_handle = handle_key(tip.handle) if tip.handle else None
    rows = session.execute(
        select(Tip.ref, Tip.region_code, Tip.phone, Tip.url, Tip.handle).where(Tip.id != tip.id)
    )
    for ref, region, phone, url, handle in rows:
        if tip.phone and phone == tip.phone:
            found.append(Found("phone", "tip", ref, region, "phone", STRONG))
        if mine_url and url and url_key(url) == mine_url:
            found.append(Found("url", "tip", ref, region, "url", STRONG))
        if mine_handle and handle and len(mine_handle) >= 3 and handle_key(handle) == mine_handle:
            found.append(Found("handle", "tip", ref, region, "handle", NAME))
    return found


def rematch(session: Session, tip: Tip, texts: dict[str, str]) -> list[Found]:
    """Compute the tip's matches afresh and store them (replacing the previous ones), in the session."""
    found: list[Found] = []
    if tip.phone:
        found += match_phone(session, tip.phone)
    found += match_names(session, texts, tip.handle, tip.url)
    found += match_tips(session, tip)
    unique = list(dict.fromkeys(found))
    session.query(TipMatch).filter(TipMatch.tip_id == tip.id).delete(synchronize_session=False)
    session.add_all(
        TipMatch(
            tip_id=tip.id,
            field=f.field,
            target_type=f.target_type,
            target_ref=f.target_ref,
            target_region_code=f.target_region_code,
            method=f.method,
            strength=f.strength,
        )
        for f in unique
    )
    return unique
