"""`/kerja/certificates/{ref}/pdf`: a certificate's printable PDF, downloaded from the child's timeline.

The same document as the API's `GET /api/v1/certificates/{ref}/pdf` (`jaga.certificates`), read the same
way: the role's permission and the certificate's region checked, and the read audited with the task's
purpose (it names a child). Sent as an attachment that no cache keeps.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from jaga.certificates import services
from jaga.certificates.documents import LogAccess, pdf_of
from jaga.db import UnitOfWork
from jaga.portal.pages import PAGE_TAG
from jaga.registry import Purpose
from jaga.web.problems import public_base_url
from jaga.workbench.auth import officer
from jaga.workbench.queue import NO_STORE, page

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)
CHANNEL = "workbench GET /kerja/certificates/{ref}/pdf"


@router.get("/kerja/certificates/{ref}/pdf")
def certificate_pdf(request: Request, ref: str) -> Response:
    live = officer(request)
    if not live.purpose:
        return page(request, live, "kerja/purpose_needed.html", {"back": request.url.path})
    with UnitOfWork(request.app.state.sessions, request.app.state.clock) as uow:
        view = services.get(uow, live.actor, ref[:64], purpose=Purpose(live.purpose, CHANNEL))
    settings = request.app.state.settings
    log = LogAccess(settings.key_dir, settings.ledger_origin, settings.witness_policy)
    pdf = pdf_of(request.app.state.sessions, view, log, base_url=public_base_url(request))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{view.ref}.pdf"'},
    )
