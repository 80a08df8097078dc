"""`/kerja/ledger` (auditors, administrators): the log's latest signed checkpoint, who signed and
cosigned it, how many recorded events still wait to be committed to it, and the last audit's result
(`jaga ledger audit` keeps each in `ledger_audits`), marked when it failed or is stale."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from jaga.access import Action
from jaga.portal.pages import PAGE_TAG
from jaga.sequencer import last_audit, pending_events
from jaga.sequencer.models import LedgerCheckpoint, LedgerState
from jaga.workbench.auth import officer
from jaga.workbench.queue import page

router = APIRouter(tags=[PAGE_TAG], include_in_schema=False)
# docs/operations.md runs the audit nightly: older than two days means at least one night was missed.
AUDIT_STALE_AFTER = timedelta(days=2)


def _signers(note: str) -> list[str]:
    """The names on a signed note's signature lines (C2SP signed-note: "— <name> <signature>")."""
    return [line.split(" ")[1] for line in note.splitlines() if line.startswith("\u2014 ")]


@router.get("/kerja/ledger", response_class=HTMLResponse)
def ledger_page(request: Request) -> HTMLResponse:
    live = officer(request)
    live.actor.require(Action.AUDIT_READ)
    with request.app.state.sessions() as session:
        state = session.scalar(select(LedgerState))
        latest = session.scalar(select(LedgerCheckpoint).order_by(LedgerCheckpoint.size.desc()).limit(1))
        waiting = pending_events(session)
        audited = last_audit(session)
        context = {
            "size": state.size if state is not None else 0,
            "updated_at": state.updated_at if state is not None else None,
            "waiting": waiting,
            "checkpoint": latest.note if latest is not None else None,
            "signed_at": latest.signed_at if latest is not None else None,
            "signers": _signers(latest.note) if latest is not None else [],
            "audit": audited,
            "audit_stale": audited is not None
            and request.app.state.clock() - audited.finished_at > AUDIT_STALE_AFTER,
        }
    return page(request, live, "kerja/ledger.html", context)
