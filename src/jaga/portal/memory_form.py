"""The public portal's uploads, read in memory under a cap: `POST /lapor` (a tip's screenshot) and `POST /v`
(a certificate's photo). Both promise that nothing sent is written to disk, and both refuse (413) a body
over their cap before parsing all of it; this module is where those two promises are kept, once.

The workbench's file import (`jaga.workbench.upload`) is different on purpose: it streams to a private
temporary file, as a registry import can be far larger than memory should hold.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable

from starlette.datastructures import Headers
from starlette.formparsers import MultiPartParser
from starlette.requests import Request

from jaga.errors import TooLarge


def refuse_declared(request: Request, limit: int, too_large: Callable[[], TooLarge]) -> None:
    """Refuse at once a body whose Content-Length is over `limit` (nothing of it is read)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large()


async def capped_chunks(
    request: Request, *, limit: int, drain: int, too_large: Callable[[], TooLarge]
) -> AsyncGenerator[bytes, None]:
    """The body's chunks while it stays within `limit` bytes. A body over `limit` is read on to its end, up
    to `drain` bytes (so that a browser still sending it gets the 413 page, not a broken connection), and
    then refused with `too_large()`; `drain == limit` refuses at the first byte over."""
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > drain:
            break
        if received <= limit:
            yield chunk
    if received > limit:
        raise too_large()


async def once(body: bytes) -> AsyncGenerator[bytes, None]:
    """A body already read, as the stream a Starlette parser takes."""
    yield body


def memory_parser(
    headers: Headers,
    stream: AsyncGenerator[bytes, None],
    *,
    max_body: int,
    max_files: int,
    max_fields: int,
    max_part_size: int,
) -> MultiPartParser:
    """Starlette's multipart parser, with a file part kept in memory: Starlette spools a part to a
    temporary file above `spool_max_size`, set here above the whole body's cap, so a part never spills."""
    parser = MultiPartParser(
        headers,
        stream,
        max_files=max_files,
        max_fields=max_fields,
        max_part_size=max_part_size,
    )
    parser.spool_max_size = max_body + 1
    return parser
