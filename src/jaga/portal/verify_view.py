"""What the verify pages show, in the page's language: the verdict, each check, and the facts a holder
compares with the paper. `verify.py` renders it on the server (upload, short address); the same words go
into the page's data block for `static/verify.js`, which fills the same markup in the browser.

Only what the holder needs to compare the page with the paper is shown: the kind, the certificate and
akta numbers, the issuing office, the issue date and the facts printed on it, labelled and written as
the PDF prints them (`jaga.certificates.pdf`). A NIK is never shown in full.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal

from jaga.certificates.pdf import LABELS, PLACEHOLDER_NOTE, SEX, TITLES
from jaga.certificates.verify import Check, Verification
from jaga.portal.i18n import translations

# Check names as the page shows them (Python's and verify.js's check names are the keys).
CHECK_NAMES = {
    "format": "Code",
    "record": "Certificate record",
    "log signature": "Registry's signature",
    "inclusion": "Public log",
    "witnesses": "Independent witnesses",
    "status": "Current status",
    "log consistency": "Log history",
    "online": "Online check",
}
# Every check outcome by its code (`jaga.certificates.verify.Check.code`); {name} takes the check's params.
# One literal per message and per sentence: the catalog test finds each English text in the code.
MESSAGES = {
    "format.ok": "The code holds a jaga certificate.",
    "format.bad": "The code is damaged, or it is not a jaga certificate.",
    "record.unreadable": "The certificate's record cannot be read.",
    "record.kind": "The record is not a birth or adoption certificate.",
    "record.ok": "The record is a birth or adoption certificate.",
    "signature.ok": "The registry's log {origin} signed it.",
    "signature.unknown-key": "Not signed with this registry's key: it comes from elsewhere, or it is forged.",
    "signature.altered": "The signature does not match: something was changed after it was issued.",
    "inclusion.ok": "It is entry {index} of the registry's public log of {size} entries.",
    "inclusion.bad": "It is not in the registry's public log as it claims to be.",
    "inclusion.malformed": "The proof that it is in the public log is damaged.",
    "witnesses.none": "This registry names no independent witnesses.",
    "witnesses.ok": "Cosigned by {good} of {total} independent witnesses.",
    "witnesses.bad": "Cosigned by {good} of {total} witnesses; at least {minimum} are needed.",
    "status.current": "Not revoked, and the registry still states exactly what the certificate states.",
    "status.revoked": "Revoked by the registry on {revoked_at}.",
    "status.superseded": "Revoked by the registry on {revoked_at}: certificate {superseded_by} replaces it.",
    "status.amended": "The registry's records have changed since this certificate was issued.",
    "status.unavailable": "The current status could not be checked.",
    "consistency.ok": "The registry's log today ({size} entries) extends the one this certificate is in.",
    "consistency.checkpoint": "The registry's current log signature does not verify.",
    "consistency.rollback": "The registry's log was rolled back: it holds fewer entries than before.",
    "consistency.split": "The registry's log today contradicts the log this certificate was proved in.",
    "consistency.unavailable": "The registry's log could not be checked.",
    "online.skipped": "Not checked.",
}
# Verdict -> (title, sentences of its summary).
VERDICTS = {
    "checking": ("Checking…", ("Your phone is checking the certificate.",)),
    "valid": (
        "Genuine certificate",
        (
            "The registry issued this certificate and nothing on it was changed.",
            "Compare every fact below with the paper: they must be identical.",
        ),
    ),
    "invalid": (
        "Not a genuine certificate",
        (
            "This code does not prove a certificate of the registry.",
            "Do not rely on the paper; ask the registry office that is named on it.",
        ),
    ),
    "revoked": (
        "Certificate revoked",
        (
            "The registry issued this certificate but has revoked it.",
            "Ask the registry office for the current one.",
        ),
    ),
    "amended": (
        "Certificate no longer current",
        (
            "The registry issued this certificate, but its records have changed since.",
            "Ask the registry office for a current certificate.",
        ),
    ),
}
# The line under the verdict -> its sentences.
ONLINE = {
    "current": ("Current status: not revoked, and the registry still states what it states.",),
    "revoked": ("Current status: revoked.",),
    "amended": ("Current status: the registry's records have changed since it was issued.",),
    "unavailable": (
        "The current status could not be checked (the registry could not be reached).",
        "The check above holds for the certificate as it was issued.",
        "Check again later whether it was revoked.",
    ),
    "not-checked": ("The current status was not checked, because the certificate itself does not hold.",),
}
FACT_NAMES = {
    "kind": "Kind",
    "ref": "Certificate number",
    "issued": "Issued",
}
NIK = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{2})(?!\d)")
ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})")


def mask_nik(text: str) -> str:
    """Any 16-digit number (a NIK or a family-card number) as its first 6 and last 2 digits only."""
    return NIK.sub(r"\1********\2", text)


def issued_text(created_at: object) -> str:
    """The issue time as the PDF prints it: `2025-01-20 03:12 UTC`."""
    match = ISO_TIME.match(str(created_at or ""))
    return f"{match.group(1)} {match.group(2)} UTC" if match else str(created_at or "—")


def fact_value(key: str, value: Any) -> str:
    """A content value written as the PDF writes it (`jaga.certificates.pdf._value`), NIKs masked."""
    if value is None:
        text = "—"
    elif key == "child_sex":
        text = SEX.get(str(value), str(value))
    elif key == "child_name_placeholder":
        text = PLACEHOLDER_NOTE
    elif isinstance(value, list):
        text = "; ".join(f"{d.get('kind', '')} {d.get('number', '')}".strip() for d in value) or "—"
    else:
        text = str(value)
    return mask_nik(text)


@dataclass(frozen=True)
class CheckLine:
    name: str
    ok: bool | None
    code: str
    label: str
    text: str


@dataclass
class VerifyView:
    """Everything the result part of `verify.html` shows."""

    verdict: str
    title: str
    summary: str
    online: str
    online_text: str
    origin: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    checks: list[CheckLine] = field(default_factory=list)


def _sentences(sentences: tuple[str, ...], lang: str) -> str:
    translate = translations(lang).gettext
    return " ".join(translate(sentence) for sentence in sentences)


def _number(value: object, lang: str) -> str:
    return format_decimal(value, locale=lang) if isinstance(value, int) else str(value)


def check_line(check: Check, lang: str) -> CheckLine:
    translate = translations(lang).gettext
    code = check.code
    params = {key: _number(value, lang) for key, value in check.params.items()}
    if code == "status.revoked" and "superseded_by" in params:
        code = "status.superseded"
    if "revoked_at" in params:
        params["revoked_at"] = params["revoked_at"][:10]
    template = MESSAGES.get(code)
    text = translate(template).format(**params) if template else check.detail
    # A status that could not be read is "not checked" on a page: the offline verdict stands.
    ok = None if code in ("status.unavailable", "consistency.unavailable") else check.ok
    return CheckLine(check.name, ok, check.code, translate(CHECK_NAMES.get(check.name, check.name)), text)


def facts(record: Mapping[str, Any], content: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    translate = translations(lang).gettext
    side = 0 if lang == "id" else 1
    kind = str(record.get("kind", ""))
    rows = [
        (translate(FACT_NAMES["kind"]), TITLES[kind][side] if kind in TITLES else kind),
        (translate(FACT_NAMES["ref"]), mask_nik(str(record.get("ref", "")))),
        (translate(FACT_NAMES["issued"]), issued_text(record.get("created_at"))),
    ]
    rows += [
        (labels[side], fact_value(key, content[key])) for key, labels in LABELS.items() if key in content
    ]
    return rows


def view_of(result: Verification, lang: str) -> VerifyView:
    """The page's view of a verification made on the server."""
    translate = translations(lang).gettext
    verdict = result.verdict
    title, summary = VERDICTS[verdict]
    online: str
    online_key: str
    if result.online is not None:
        online = online_key = result.online
    else:  # not asked: the certificate itself does not hold, or there was nothing to ask with
        online, online_key = "unavailable", "not-checked" if verdict == "invalid" else "unavailable"
    content, record = result.content, result.record
    return VerifyView(
        verdict=verdict,
        title=translate(title),
        summary=_sentences(summary, lang),
        online=online,
        online_text=_sentences(ONLINE[online_key], lang),
        origin=result.proof.origin if result.proof is not None else "",
        facts=facts(record, content, lang) if verdict != "invalid" and record and content else [],
        checks=[check_line(check, lang) for check in result.checks],
    )


def page_words(lang: str) -> dict[str, Any]:
    """The words verify.js needs, in the page's language (put into the page's data block)."""
    translate = translations(lang).gettext
    side = 0 if lang == "id" else 1
    return {
        "lang": lang,
        "checks": {name: translate(label) for name, label in CHECK_NAMES.items()},
        "messages": {code: translate(text) for code, text in MESSAGES.items()},
        "verdicts": {
            key: [translate(title), _sentences(text, lang)] for key, (title, text) in VERDICTS.items()
        },
        "online": {key: _sentences(text, lang) for key, text in ONLINE.items()},
        "facts": {key: translate(text) for key, text in FACT_NAMES.items()},
        "labels": [[key, labels[side]] for key, labels in LABELS.items()],  # in the PDF's order
        "titles": {kind: titles[side] for kind, titles in TITLES.items()},
        "sex": SEX,
        "placeholder": PLACEHOLDER_NOTE,
    }
