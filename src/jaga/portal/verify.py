"""Checking a certificate: `/v` (the page its QR code opens), `POST /v` (the upload fallback) and
`/c/{ref}` (the short address printed for people without a camera phone).

`GET /v` verifies in the browser: the QR code's link carries the payload in its fragment, which never
reaches this server, and `static/verify.js` checks it against the verifier keys pinned in the page (this
server's log keys and the witnesses it trusts), never keys fetched with or from the payload. Then it asks
for the status by certificate number alone. Without JavaScript the page offers the upload: a photo, scan
or PDF, read here in memory with zxing-cpp, verified with the same Python code as `jaga verify`, and
forgotten (nothing is stored or logged).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException

from jaga.certificates import services
from jaga.certificates.qr import payload_from_bytes
from jaga.certificates.status import verify_at_registry
from jaga.certificates.verify import verify_payload
from jaga.cli_support import read_vkeys
from jaga.db import UnitOfWork
from jaga.errors import InvalidInput, SigningKeyMissing, TooLarge
from jaga.ledger.note import Verifier
from jaga.portal.memory_form import capped_chunks, memory_parser, refuse_declared
from jaga.portal.pages import PAGE_TAG, STATIC_DIR, form_tokens, language, rate_limit, render
from jaga.portal.verify_view import VerifyView, page_words, view_of
from jaga.sequencer import published_verifiers

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)

FORM = "verify-upload"
MAX_UPLOAD = 10 * 1024 * 1024  # a phone photo or a scanned PDF
MAX_BODY = MAX_UPLOAD + 64 * 1024  # the file and the form around it
DRAIN_LIMIT = 4 * MAX_BODY  # a larger body is refused at once rather than read to the end
UPLOADS_PER_MINUTE = 30  # a person checks a few; a script hammering the decoder is stopped
STATUS_PER_MINUTE = 60

Ref = Annotated[str, Path(min_length=3, max_length=32, pattern=r"^[A-Za-z0-9-]+$")]


def _trusted(request: Request) -> tuple[list[Verifier], list[Verifier], int]:
    """The log's verifier keys (from the server's key folder), the witnesses it trusts, and how many
    cosignatures a certificate needs (one if any witness is named, as `jaga verify` requires)."""
    settings = request.app.state.settings
    try:
        log_keys = published_verifiers(settings.key_dir)
    except SigningKeyMissing:
        log_keys = []
    witnesses = read_vkeys(list(settings.witness_vkeys), "JAGA_WITNESS_VKEYS")
    return log_keys, witnesses, 1 if witnesses else 0


def _pinned(request: Request) -> dict[str, Any]:
    log_keys, witnesses, minimum = _trusted(request)
    return {
        "log_keys": [_vkey(k) for k in log_keys],
        "witness_keys": [_vkey(k) for k in witnesses],
        "min_witnesses": minimum,
        "words": page_words(language(request)),
    }


def _vkey(key: Verifier) -> str:
    vkey: str = key.vkey()  # type: ignore[attr-defined]  # every parsed key is a note PublicKey
    return vkey


def _page(request: Request, view: VerifyView | None, *, status_code: int = 200) -> HTMLResponse:
    pinned = _pinned(request)
    return render(
        request,
        "verify.html",
        {
            "pinned": pinned,
            "has_keys": bool(pinned["log_keys"]),
            "view": view,
            "token": form_tokens(request).issue(FORM),
            "max_mb": MAX_UPLOAD // (1024 * 1024),
        },
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/v", response_class=HTMLResponse)
def verify_page(request: Request) -> HTMLResponse:
    """The page a certificate's QR code opens; verify.js reads the payload from the URL's fragment."""
    return _page(request, None)


def _too_large() -> TooLarge:
    megabytes = MAX_UPLOAD // (1024 * 1024)
    return TooLarge(
        f"the file is larger than {megabytes} MB: send a smaller photo of the QR code",
        message_id=f"berkas lebih besar dari {megabytes} MB: kirim foto kode QR yang lebih kecil",
    )


async def _upload(request: Request) -> tuple[bytes, str | None]:
    # A body a little too large is read to its end (up to DRAIN_LIMIT) before the 413.
    refuse_declared(request, DRAIN_LIMIT, _too_large)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise InvalidInput(
            "send the form with its file (multipart/form-data)",
            message_id="kirim formulir beserta berkasnya (multipart/form-data)",
        )
    body = capped_chunks(request, limit=MAX_BODY, drain=DRAIN_LIMIT, too_large=_too_large)
    parser = memory_parser(
        request.headers, body, max_body=MAX_BODY, max_files=1, max_fields=4, max_part_size=4096
    )
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise InvalidInput(
            "the form could not be read: send it again from the page",
            message_id="formulir tidak dapat dibaca: kirim lagi dari halaman ini",
        ) from exc
    try:
        token = form.get("token")
        upload = form.get("file")
        data = await upload.read() if isinstance(upload, UploadFile) else b""
    finally:
        await form.close()
    return data, token if isinstance(token, str) else None


def _verify_upload(request: Request, data: bytes) -> VerifyView:
    text = payload_from_bytes(data)
    log_keys, witnesses, minimum = _trusted(request)
    result = verify_payload(text, log_keys, witnesses, min_witnesses=minimum)
    verify_at_registry(request.app.state.sessions, result, log_keys, channel="portal POST /v")
    return view_of(result, language(request))


@router.post("/v", response_class=HTMLResponse)
async def verify_upload(request: Request) -> HTMLResponse:
    """The fallback: a photo, scan or PDF of the certificate, checked here and forgotten."""
    rate_limit(request, "verify-upload", UPLOADS_PER_MINUTE)
    data, token = await _upload(request)
    form_tokens(request).check(FORM, token)
    if not data:
        raise InvalidInput(
            "choose a photo or scan of the QR code, or the certificate's PDF",
            message_id="pilih foto atau pindaian kode QR, atau PDF sertifikat",
        )
    view = await run_in_threadpool(_verify_upload, request, data)
    # A payload that is not one at all is bad input (422); any other verdict is an answer (200).
    malformed = any(line.code == "format.bad" for line in view.checks)
    return _page(request, view, status_code=422 if malformed else 200)


@router.get("/v-sw.js", tags=["assets"])
def verify_worker() -> Response:
    """The verify page's service worker (static/verify-sw.js), served from the root so that it may
    control /v: a worker's scope is at most its own folder."""
    return Response(
        (STATIC_DIR / "verify-sw.js").read_bytes(),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"},
    )


@router.get("/c/{ref}", response_class=HTMLResponse)
def certificate_status(request: Request, ref: Ref) -> HTMLResponse:
    """The short address on the paper: the status alone (no personal data), for anyone with its number."""
    rate_limit(request, "certificate-status", STATUS_PER_MINUTE)
    with UnitOfWork(request.app.state.sessions) as uow:
        status = services.public_status(uow, ref, channel="portal GET /c/{ref}")
    online = "revoked" if status.status != "valid" else "current" if status.content_current else "amended"
    return render(
        request,
        "verify_status.html",
        {"status": status, "online": online},
        headers={"Cache-Control": "no-store"},
    )
