"""`/kerja/impor`: import a CSV (or JSON Lines) file of one kind, as the logged-in officer.

The same code as `jaga import` (`jaga.registry.run_import`), as the officer's own account (role, region,
bound official), all or nothing. A refusal shows every problem row by row (the first `SHOWN`, and how
many more), in the page's language, and offers the refused rows for download with their reasons; a
success redirects (303) to its result page, so that reloading it never imports the file twice.

The upload streams into a private temporary file (`jaga.workbench.upload`), removed once the import has
run; results and rejects stay private to the web session (`jaga.workbench.import_results`). The import
itself runs in the thread pool, never on the event loop.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from jaga.access.logins import LiveSession
from jaga.errors import ImportFileInvalid, ImportRejected, JagaError, NotFound, PermissionDenied
from jaga.portal.pages import PAGE_TAG, language
from jaga.registry import KINDS, FileFormat, Kind, run_import
from jaga.web import translations
from jaga.workbench.auth import check_form, officer
from jaga.workbench.import_reasons import describer, reason
from jaga.workbench.import_results import ImportResult, ImportStore, read_report, sweep_imports
from jaga.workbench.queue import NO_STORE, page
from jaga.workbench.upload import receive_upload

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

# What each kind holds, in Bahasa Indonesia (English: the kind's own summary, jaga.registry.kinds).
SUMMARIES_ID = {
    "facilities": "fasilitas kesehatan: rumah sakit, puskesmas, klinik, praktik bidan",
    "attendants": "penolong persalinan: bidan, dokter, perawat, dukun bayi",
    "officials": "pejabat: petugas pencatatan sipil, pekerja sosial, panitera, hakim, polisi",
    "institutions": "lembaga pengasuhan anak dan lembaga pengangkatan anak, dengan izinnya",
    "people": "orang sebagaimana dicatat satu instansi (ibu, ayah, calon orang tua angkat, pelapor)",
    "births": "kelahiran (membuat data orang setiap anak), dapat sekaligus dengan pencatatan sipilnya",
    "birth-registrations": "pencatatan sipil (akta) kelahiran yang sudah tercatat",
    "relinquishments": "penyerahan anak oleh ibunya",
    "placements": "penempatan anak di lembaga atau keluarga",
    "adoption-cases": "perkara pengangkatan anak (setiap baris membuka perkara dengan tahap permohonannya)",
    "adoption-steps": "tahap perkara pengangkatan anak, diperiksa terhadap alur hukumnya",
    "missing-reports": "laporan anak hilang",
}
FORMATS = {".csv": FileFormat.CSV, ".jsonl": FileFormat.JSONL, ".ndjson": FileFormat.JSONL}
MEDIA_TYPES = {FileFormat.CSV: "text/csv; charset=utf-8", FileFormat.JSONL: "application/x-ndjson"}


def importable(live: LiveSession) -> list[Kind]:
    """The kinds this officer's role may write, in the order files are best imported."""
    return [k for k in KINDS.values() if k.write_action is None or live.actor.can(k.write_action)]


def _store(request: Request) -> ImportStore:
    return ImportStore(Path(request.app.state.settings.data_dir) / "workbench-imports")


def _max_mb(request: Request) -> int:
    return int(request.app.state.settings.import_upload_mb)


def _sweep(request: Request) -> None:
    state = request.app.state
    sweep_imports(Path(state.settings.data_dir), state.sessions, state.clock)


def _officer_here(request: Request) -> LiveSession:
    """The officer, refused (403) when their role may import nothing; old results swept on the way."""
    live = officer(request)
    if not importable(live):
        raise PermissionDenied(
            f"role {live.actor.role.value} may not import any kind of record",
            message_id=f"peran {live.actor.role.value} tidak boleh mengimpor data jenis apa pun",
        )
    _sweep(request)
    return live


def _page(
    request: Request,
    live: LiveSession,
    *,
    result: ImportResult | None = None,
    error: str | None = None,
    chosen: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    lang = language(request)
    kinds = importable(live)
    context: dict[str, Any] = {
        "kinds": kinds,
        "summary": lambda kind: SUMMARIES_ID[kind.name] if lang == "id" else kind.summary,
        "chosen": chosen or {},
        "max_mb": _max_mb(request),
        "result": result,
        "error": error,
        "reason": lambda message: reason(message, lang),
    }
    if result is not None:
        # The language link opens this result again, not an empty form.
        other = "" if lang == "en" else "?lang=en"
        context["switch_url"] = f"/kerja/impor/{result.id}{other}"
    response = page(request, live, "kerja/import.html", context)
    response.status_code = status
    return response


@router.get("/kerja/impor", response_class=HTMLResponse)
def import_page(request: Request) -> HTMLResponse:
    live = _officer_here(request)
    return _page(request, live)


@router.post("/kerja/impor", response_class=HTMLResponse)
async def import_submit(request: Request) -> Response:
    """Receive the file (streamed to a private temporary file, 413 beyond the limit) and import it."""
    live = await run_in_threadpool(_officer_here, request)
    upload = await receive_upload(request, _store(request).uploads, max_bytes=_max_mb(request) * 1024 * 1024)
    try:
        return await run_in_threadpool(_import, request, live, upload.fields, upload.path, upload.filename)
    finally:
        await run_in_threadpool(upload.remove)


def _file_problem(lang: str, english: str, indonesian: str) -> str:
    return indonesian if lang == "id" else english


def _import(
    request: Request, live: LiveSession, fields: dict[str, str], path: Path | None, filename: str
) -> Response:
    check_form(request, fields.get("csrf"))
    lang = language(request)
    chosen = {"kind": fields.get("kind", "")[:40], "format": fields.get("format", "")[:8]}

    def refuse(error: str) -> HTMLResponse:
        return _page(request, live, error=error, chosen=chosen, status=422)

    kind = KINDS.get(chosen["kind"])
    if kind is None:
        return refuse(
            _file_problem(lang, "choose the kind of records in the file", "pilih jenis data dalam berkas")
        )
    if kind.write_action is not None:
        live.actor.require(kind.write_action)  # 403: this role may not write this kind
    if path is None or not filename:
        return refuse(_file_problem(lang, "choose a file to import", "pilih berkas yang akan diimpor"))
    fmt = FileFormat(chosen["format"]) if chosen["format"] in set(FileFormat) else None
    fmt = fmt or FORMATS.get(Path(filename).suffix.lower())
    if fmt is None:
        return refuse(
            _file_problem(
                lang,
                "the file's name does not say whether it is CSV or JSON Lines (.csv, .jsonl): choose the "
                "format in the form, or send a CSV or JSON Lines file",
                "nama berkas tidak menunjukkan apakah berkas itu CSV atau JSON Lines (.csv, .jsonl): pilih "
                "formatnya di formulir, atau kirim berkas CSV atau JSON Lines",
            )
        )
    store = _store(request)
    result = ImportResult(id=store.new_id(), kind=kind.name, fmt=fmt.value, refused=False)
    rejects = store.rejects_path(live.session_id, result.id)
    report = path.parent / "report.csv"
    try:
        summary = run_import(
            request.app.state.sessions,
            actor=live.actor,
            kind=kind,
            path=path,
            fmt=fmt,
            report_path=report,
            rejects_path=rejects,
            clock=request.app.state.clock,
            describe=describer(lang),
        )
    except ImportRejected:
        result.refused, result.has_rejects = True, rejects.exists()
        read_report(report, result)
        store.save(live.session_id, result)
        return _page(request, live, result=result, chosen=chosen, status=422)
    except ImportFileInvalid as exc:
        rejects.unlink(missing_ok=True)
        return refuse(reason(exc.message, lang))
    except JagaError as exc:
        rejects.unlink(missing_ok=True)
        if exc.status >= 500:
            raise
        return refuse(translations.detail(exc, lang))
    rejects.unlink(missing_ok=True)  # nothing was refused
    result.rows, result.written = summary.rows, summary.written
    read_report(report, result)
    store.save(live.session_id, result)
    target = f"/kerja/impor/{result.id}" + ("?lang=en" if lang == "en" else "")
    return RedirectResponse(target, status_code=303, headers=NO_STORE)


def _not_found() -> NotFound:
    return NotFound(
        "no such import in this session: results and refused rows are kept for the session that made them, "
        "until it ends",
        message_id="tidak ada impor itu dalam sesi ini: hasil dan baris yang ditolak disimpan untuk sesi "
        "yang membuatnya, sampai sesi itu berakhir",
    )


@router.get("/kerja/impor/{import_id}", response_class=HTMLResponse)
def import_result(request: Request, import_id: str) -> HTMLResponse:
    live = _officer_here(request)
    result = _store(request).load(live.session_id, import_id[:64])
    if result is None:
        raise _not_found()
    return _page(request, live, result=result, chosen={"kind": result.kind})


@router.get("/kerja/impor/{import_id}/ditolak")
def rejects_download(request: Request, import_id: str) -> Response:
    """The refused rows with their reasons (spreadsheet formulas neutralised), to this session only."""
    live = _officer_here(request)
    store = _store(request)
    result = store.load(live.session_id, import_id[:64])
    path = store.rejects(live.session_id, import_id[:64])
    if result is None or path is None:
        raise _not_found()
    fmt = FileFormat(result.fmt)
    return FileResponse(
        path,
        media_type=MEDIA_TYPES[fmt],
        filename=f"{result.kind}-ditolak.{fmt.value}",
        content_disposition_type="attachment",
        headers={**NO_STORE, "X-Content-Type-Options": "nosniff"},
    )
