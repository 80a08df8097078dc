"""The portal's in-memory upload reading, shared by `POST /lapor` and `POST /v` (their pages' own tests,
test_lapor.py and test_verify.py, show the 413 and 422 pages): a body over the cap is drained up to the
drain limit and then refused, and a file part larger than Starlette's spool threshold stays in memory."""

from __future__ import annotations

import asyncio
import tempfile
from typing import Any

import pytest
from starlette.requests import Request

from jaga.errors import TooLarge
from jaga.portal.memory_form import capped_chunks, memory_parser, once

BOUNDARY = "jagaboundary"


def _request(
    chunks: list[bytes], content_type: str = "application/octet-stream"
) -> tuple[Request, list[int]]:
    """A real Starlette request over an ASGI receive that hands out `chunks`; the list counts receives."""
    sent = iter(chunks)
    received: list[int] = []

    async def receive() -> dict[str, Any]:
        chunk = next(sent, b"")
        received.append(len(chunk))
        return {"type": "http.request", "body": chunk, "more_body": bool(chunk)}

    scope = {"type": "http", "method": "POST", "headers": [(b"content-type", content_type.encode())]}
    return Request(scope, receive), received


def _drain(request: Request, *, limit: int, drain: int) -> list[bytes]:
    async def read() -> list[bytes]:
        too_large = lambda: TooLarge("too large")  # noqa: E731
        return [c async for c in capped_chunks(request, limit=limit, drain=drain, too_large=too_large)]

    return asyncio.run(read())


def test_a_body_within_the_cap_is_read_whole() -> None:
    request, _ = _request([b"a" * 10, b"b" * 10])
    assert b"".join(_drain(request, limit=20, drain=40)) == b"a" * 10 + b"b" * 10


def test_a_body_over_the_cap_is_drained_to_the_drain_limit_then_refused() -> None:
    request, received = _request([b"a" * 10] * 6)
    with pytest.raises(TooLarge):
        _drain(request, limit=20, drain=45)
    assert sum(received) == 50  # read on past the cap (a browser still sending gets the page) ...
    request, received = _request([b"a" * 10] * 6)
    with pytest.raises(TooLarge):
        _drain(request, limit=20, drain=20)
    assert sum(received) == 30  # ... or refused at the first chunk over it


def _multipart(content: bytes) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="qr.png"\r\n'
        f"Content-Type: image/png\r\n\r\n".encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def test_a_file_part_larger_than_starlettes_spool_stays_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    content = b"\x89PNG" + b"x" * (3 * 1024 * 1024)  # Starlette spills parts over 1 MB to disk by default
    body = _multipart(content)
    request, _ = _request([body], f"multipart/form-data; boundary={BOUNDARY}")
    opened: list[str] = []
    real = tempfile.TemporaryFile

    def spy(*args: Any, **kwargs: Any) -> Any:  # a SpooledTemporaryFile rolls over to disk through this
        opened.append("file")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", spy)

    async def parse() -> bytes:
        parser = memory_parser(
            request.headers, once(body), max_body=len(body), max_files=1, max_fields=4, max_part_size=4096
        )
        form = await parser.parse()
        try:
            upload = form.get("file")
            assert upload is not None and not isinstance(upload, str)
            return await upload.read()
        finally:
            await form.close()

    assert asyncio.run(parse()) == content
    assert opened == []
