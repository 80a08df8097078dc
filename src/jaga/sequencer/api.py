"""The log's public face: `/ledger/checkpoint` and `/ledger/tile/...`, the tlog-tiles layout over HTTP.

Public on purpose (no account): the log holds only salted hashes, and anyone must be able to check it.
Full tiles never change, so they are cached for a year; partial tiles and the checkpoint grow.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from jaga.sequencer.services import serve_tile, state

router = APIRouter(prefix="/ledger", tags=["ledger"])

GROWING = "public, max-age=5"
IMMUTABLE = "public, max-age=31536000, immutable"


@router.get("/checkpoint", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
def get_checkpoint(request: Request) -> Response:
    """The latest signed checkpoint (C2SP tlog-checkpoint, signed note)."""
    with request.app.state.sessions() as session:
        note = state(session).checkpoint
    return Response(note, media_type="text/plain; charset=utf-8", headers={"Cache-Control": GROWING})


@router.get(
    "/tile/{path:path}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def get_tile(path: str, request: Request) -> Response:
    """A hash tile (`tile/L/N[.p/W]`) or entry bundle (`tile/entries/N[.p/W]`), per C2SP tlog-tiles."""
    with request.app.state.sessions() as session:
        data = serve_tile(session, f"tile/{path}")
    partial = ".p/" in path
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"Cache-Control": GROWING if partial else IMMUTABLE},
    )
