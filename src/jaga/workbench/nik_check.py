"""`POST /kerja/nik`: the NIK typed in a record form, checked as it is typed (nik-check.js swaps the answer in
under the field) against the date of birth and sex typed beside it.

The same check as `POST /api/v1/nik/check` (`jaga.nik.check_nik`). A POST, so the NIK never appears
in a URL or an access log; the form's CSRF token comes with it. Without JavaScript nothing is lost:
the form's page shows the same message whenever it is shown again, and the schema checks the NIK on
submit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from jaga.access import Action
from jaga.nik import Sex, check_nik
from jaga.portal.pages import PAGE_TAG, language, render
from jaga.regions import load_directory
from jaga.web import translations
from jaga.workbench.auth import check_form, officer
from jaga.workbench.queue import NO_STORE

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

# A NIK field -> the fields holding the date of birth and sex it encodes (witnesses' have none).
PAIRS: dict[str, tuple[str, str]] = {"nik": ("birth_date", "sex"), "child_nik": ("born_on", "child_sex")}

_ID = {
    "valid": "NIK sah: lahir {born}, {sex}, diterbitkan di {place}.",
    "inconsistent": "NIK sah, tetapi {problems}. Data tetap dapat dicatat, dengan peringatan dan tanda "
    "bahaya.",
    "invalid": "NIK tidak sah: {problems}.",
}
_EN = {
    "valid": "Valid NIK: born {born}, {sex}, issued in {place}.",
    "inconsistent": "Valid NIK, but {problems}. The record can still be kept, with a warning and a flag.",
    "invalid": "Invalid NIK: {problems}.",
}
_SEX = {"id": {"F": "perempuan", "M": "laki-laki"}, "en": {"F": "female", "M": "male"}}


@dataclass(frozen=True)
class NikMessage:
    state: str  # valid | inconsistent | invalid | "" (nothing typed)
    text: str


def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def nik_message(nik: str, birth_date: str | None, sex: str | None, *, today: date, lang: str) -> NikMessage:
    """What the officer is told about the NIK typed, in `lang`."""
    value = nik.strip()
    if not value:
        return NikMessage("", "")
    given_sex = Sex(sex) if sex in ("F", "M") else None
    result = check_nik(
        value[:64], directory=load_directory(), today=today, birth_date=_date(birth_date), sex=given_sex
    )
    templates = _ID if lang == "id" else _EN

    def said(message: str) -> str:
        return (translations.translate(message) or message) if lang == "id" else message

    if result.decoded is None:
        return NikMessage(
            "invalid", templates["invalid"].format(problems="; ".join(map(said, result.problems)))
        )
    if result.inconsistencies:
        problems = "; ".join(map(said, result.inconsistencies))
        return NikMessage("inconsistent", templates["inconsistent"].format(problems=problems))
    decoded = result.decoded
    place = f"{decoded.district}, {decoded.regency}"
    born, sex_word = decoded.birth_date.isoformat(), _SEX[lang][decoded.sex.value]
    return NikMessage("valid", templates["valid"].format(born=born, sex=sex_word, place=place))


@router.post("/kerja/nik", response_class=HTMLResponse)
async def nik_check(request: Request) -> HTMLResponse:
    posted = {k: str(v)[:200] for k, v in (await request.form()).items()}
    return await run_in_threadpool(_nik_check, request, posted)


def _nik_check(request: Request, posted: dict[str, str]) -> HTMLResponse:
    officer(request).actor.require(Action.NIK_CHECK)
    check_form(request, posted.get("csrf"))
    field = posted.get("nik_field", "nik")
    date_field, sex_field = PAIRS.get(field, ("", ""))
    message = nik_message(
        posted.get(field, ""),
        posted.get(date_field),
        posted.get(sex_field),
        today=request.app.state.clock().date(),
        lang=language(request),
    )
    return render(request, "kerja/nik_check.html", {"check": message}, headers=NO_STORE)
