"""A form with one file, streamed from the request straight into a private temporary file.

The import page takes files of tens of megabytes: they are never held in memory, and never written
anywhere but a folder of their own (0700, under the data folder) as a file only this process's user can
read (0600), removed with `Upload.remove()` once the import has run. The body is counted as it arrives
and refused (413) beyond the limit; a body a little too large is still read to its end (up to twice the
limit), so that a browser still sending it gets the page rather than a broken connection. Nothing of the
file, its name or the form's values is logged.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from fastapi import Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool

from jaga.errors import InvalidInput, TooLarge
from jaga.files import private_folder

FIELD_LIMIT = 4096  # the form's other fields: a CSRF token, a kind, a format
FORM_OVERHEAD = 64 * 1024  # the parts' headers and those fields around the file
MAX_FIELDS = 8


@dataclass
class Upload:
    """The form's fields, and its file (None when the form had no file part) in a private folder."""

    folder: Path
    fields: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    filename: str = ""  # as the browser named it: shown to the officer, never logged

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def too_large(megabytes: int) -> TooLarge:
    return TooLarge(
        f"the file is larger than {megabytes} MB, the most this page accepts: split it into smaller files "
        "and import them one after the other (or use `jaga import` on the server)",
        message_id=f"berkas lebih besar dari {megabytes} MB, batas halaman ini: pecah menjadi beberapa "
        "berkas yang lebih kecil lalu impor satu per satu (atau gunakan `jaga import` di server)",
    )


def _not_the_form() -> InvalidInput:
    return InvalidInput(
        "what was sent is not this page's form: open the page again and send the file from there",
        message_id="yang dikirim bukan formulir halaman ini: buka lagi halamannya lalu kirim berkasnya dari "
        "sana",
    )


def safe_name(filename: str) -> str:
    """The browser's file name reduced to a plain file name (no folders, no odd characters)."""
    base = re.split(r"[/\\]", filename)[-1]
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).lstrip("._")[-100:]
    return cleaned or "upload"


class _Parts:
    """python-multipart's callbacks: small fields kept in memory, the one file part sent to disk."""

    def __init__(self, folder: Path, file_field: str) -> None:
        self.folder = folder
        self.file_field = file_field
        self.upload = Upload(folder)
        self.handle: BinaryIO | None = None
        self.pending: list[bytes] = []  # file bytes parsed from the last chunk, written off the event loop
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._name: str | None = None
        self._value = bytearray()
        self._in_file = False
        self._fields = 0

    def on_part_begin(self) -> None:
        self._disposition, self._name, self._in_file = b"", None, False
        self._value = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _kind, options = parse_options_header(self._disposition)
        name = options.get(b"name")
        if name is None:
            raise _not_the_form()
        self._name = name.decode("utf-8", "replace")
        if b"filename" in options:
            if self._name != self.file_field or self.handle is not None:
                raise _not_the_form()
            self.upload.filename = options[b"filename"].decode("utf-8", "replace")[:200]
            self._in_file = True
            path = self.folder / safe_name(self.upload.filename)
            # O_EXCL and 0600: a new file that only this process's user can read.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            self.handle = os.fdopen(descriptor, "wb")
            self.upload.path = path
        else:
            self._fields += 1
            if self._fields > MAX_FIELDS:
                raise _not_the_form()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self.pending.append(data[start:end])
            return
        self._value += data[start:end]
        if len(self._value) > FIELD_LIMIT:
            raise _not_the_form()

    def on_part_end(self) -> None:
        if not self._in_file and self._name is not None:
            self.upload.fields[self._name] = self._value.decode("utf-8", "replace")

    def flush(self) -> None:
        if self.handle is not None and self.pending:
            self.handle.write(b"".join(self.pending))
        self.pending = []


async def receive_upload(
    request: Request, parent: Path, *, max_bytes: int, file_field: str = "file"
) -> Upload:
    """The request's multipart form, its file streamed to a fresh private folder under `parent`.

    Raises TooLarge (413) when the body exceeds `max_bytes` and the form's overhead, InvalidInput when it
    is not a multipart form of this shape. The caller removes the upload (`Upload.remove`) when done."""
    limit = max_bytes + FORM_OVERHEAD
    megabytes = max(1, max_bytes // (1024 * 1024))
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > 2 * limit:
        raise too_large(megabytes)
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise _not_the_form()
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=private_folder(parent)))
    parts = _Parts(folder, file_field)
    try:
        parser = MultipartParser(
            boundary,
            {
                "on_part_begin": parts.on_part_begin,
                "on_header_field": parts.on_header_field,
                "on_header_value": parts.on_header_value,
                "on_header_end": parts.on_header_end,
                "on_headers_finished": parts.on_headers_finished,
                "on_part_data": parts.on_part_data,
                "on_part_end": parts.on_part_end,
            },
        )
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > 2 * limit:
                break
            if received > limit:
                continue  # drained, not parsed: the answer is a 413 page
            try:
                parser.write(chunk)
            except FormParserError as exc:
                raise _not_the_form() from exc
            if parts.pending:
                await run_in_threadpool(parts.flush)
        if received > limit:
            raise too_large(megabytes)
        try:
            parser.finalize()
        except FormParserError as exc:
            raise _not_the_form() from exc
        if parts.handle is not None:
            await run_in_threadpool(parts.handle.close)
        return parts.upload
    except BaseException:
        if parts.handle is not None:
            parts.handle.close()
        parts.upload.remove()
        raise
