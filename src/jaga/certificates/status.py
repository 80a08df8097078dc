"""The online checks as the registry's own server makes them, from its database rather than over HTTP:
for the portal's upload (`POST /v`) and its short address (`GET /c/{ref}`), which run on that server.

The answers are those `jaga verify --online` reads over HTTP (`verify.check_status` and
`verify.check_consistency` word them), so a certificate gets the same verdict either way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from jaga.certificates import services
from jaga.certificates.services import PublicStatus
from jaga.certificates.verify import Verification, check_consistency, check_status
from jaga.db import UnitOfWork
from jaga.errors import JagaError
from jaga.ledger import TileReader
from jaga.ledger.note import Verifier
from jaga.sequencer import serve_tile, state


def status_answer(status: PublicStatus) -> dict[str, Any]:
    """The public status in the shape of `GET /verify/v1/certificates/{ref}`."""
    return {
        "ref": status.ref,
        "status": status.status,
        "issued_at": status.issued_at.isoformat(),
        "revoked_at": status.revoked_at.isoformat() if status.revoked_at else None,
        "superseded_by": status.superseded_by,
        "seq": status.seq,
        "content_current": status.content_current,
        "later_events": [{"seq": seq, "kind": kind} for seq, kind in status.later_events],
        "log_size": status.log_size,
    }


def verify_at_registry(
    sessions: sessionmaker[Session], result: Verification, log_keys: list[Verifier], *, channel: str
) -> None:
    """Add the status and log-consistency checks to an offline `result` that holds, from this registry's
    database. A certificate this registry does not know leaves the status unavailable."""
    if not result.ok or result.record is None or result.proof is None:
        return
    ref = str(result.record.get("ref", ""))
    try:
        with UnitOfWork(sessions) as uow:
            answer = status_answer(services.public_status(uow, ref, channel=channel))
    except JagaError as exc:
        result.online = "unavailable"
        result.add(
            "status", False, f"the registry's status could not be read: {exc.message}", "status.unavailable"
        )
    else:
        check_status(result, answer)
    with sessions() as session:
        try:
            note = state(session).checkpoint
        except JagaError as exc:
            result.add("log consistency", False, exc.message, "consistency.unavailable")
            return
        assert note is not None

        def reader(size: int) -> TileReader:
            # Tiles as the log serves them (`/ledger/tile/...`), read from the same database.
            return TileReader(size, lambda tile: serve_tile(session, tile.path()))

        check_consistency(result, note, reader, log_keys)
