"""The witness over HTTP: C2SP tlog-witness `POST /add-checkpoint` (`jaga witness serve`).

No accounts: as the protocol says, requests are authenticated by the log's signature on the checkpoint
alone. The responses carry no personal data (checkpoints hold only an origin, a size and a hash).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request, Response
from starlette.concurrency import run_in_threadpool

from jaga.errors import JagaError
from jaga.ledger.note import Verifier
from jaga.ledger.witness_protocol import ADD_CHECKPOINT_PATH, MAX_REQUEST_BYTES
from jaga.witness.core import Refused, Witness

logger = logging.getLogger("jaga.witness")


def create_witness_app(witness: Witness, logs: list[Verifier]) -> FastAPI:
    app = FastAPI(title="jaga witness", docs_url=None, redoc_url=None, openapi_url=None)

    # A plain (sync) route: FastAPI runs it in a worker thread, and Witness serialises updates itself.
    def add_checkpoint(body: bytes) -> Response:
        try:
            lines = witness.add_checkpoint(body, logs)
        except JagaError as exc:  # the witness's own state is unusable (e.g. a log key was dropped)
            logger.error("add-checkpoint failed: %s", exc.message)
            message = "the witness cannot check this log now\n"
            return Response(message, status_code=503, media_type="text/plain")
        except Refused as refused:
            logger.info("add-checkpoint refused (%d): %s", refused.status, refused.message)
            content, media_type = refused.body()
            # The Content-Type header as given: Starlette would add "; charset=utf-8" to a text/* media
            # type, and the protocol names `text/x.tlog.size` exactly.
            return Response(content, status_code=refused.status, headers={"Content-Type": media_type})
        return Response(lines, media_type="text/plain; charset=utf-8")

    @app.post(ADD_CHECKPOINT_PATH, response_class=Response)
    async def add_checkpoint_route(request: Request) -> Response:
        """Cosign a checkpoint consistent with the one this witness last recorded for its log."""
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_REQUEST_BYTES:
                return Response("request body too large\n", status_code=413, media_type="text/plain")
        return await run_in_threadpool(add_checkpoint, body)

    return app
