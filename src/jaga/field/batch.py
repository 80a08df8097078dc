"""The batch file (`.jaga`): one device's signed events, carried by USB stick or posted over HTTP.

JSON Lines, UTF-8: a header, then one signed event per line, in chain order.

    {"format": "jaga-field-batch", "version": 1, "device": "FD-...", "events": 2}
    {"envelope": "{...canonical JSON...}", "signature": "<base64 Ed25519>"}
    {"envelope": "...", "signature": "..."}

The header is not signed and is not trusted: it only says which enrolled key to check the events
with and how many lines to expect (a cut file fails here). Every event carries its own signature.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from jaga.errors import BatchInvalid
from jaga.field.chain import SignedEvent

FORMAT = "jaga-field-batch"
VERSION = 1
MAX_EVENTS = 100_000  # one batch; a device that has more exports several


@dataclass(frozen=True)
class BatchFile:
    device: str
    events: list[SignedEvent]


def render_batch(device: str, events: Sequence[SignedEvent]) -> str:
    header = {"format": FORMAT, "version": VERSION, "device": device, "events": len(events)}
    return "\n".join([json.dumps(header), *(event.line() for event in events)]) + "\n"


def parse_batch(data: bytes | str) -> BatchFile:
    """The batch's device and events; BatchInvalid naming the line when the file is not a batch."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise BatchInvalid("the batch is not UTF-8 text") from exc
    # Split on LF only (a CRLF's CR is dropped): str.splitlines() also splits on U+2028, U+0085 and
    # other characters that JSON leaves unescaped inside a string.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if not lines or not lines[0].strip():
        raise BatchInvalid("the batch is empty: expected a header line")
    header = _json_line(lines[0], 1)
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise BatchInvalid(f"line 1: not a {FORMAT} version {VERSION} header")
    device, count = header.get("device"), header.get("events")
    if not isinstance(device, str) or not device:
        raise BatchInvalid("line 1: the header names no device")
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_EVENTS:
        raise BatchInvalid(f"line 1: the header's event count must be 0 to {MAX_EVENTS}")
    body = [line for line in lines[1:] if line.strip()]
    if len(body) != count:
        raise BatchInvalid(f"the header announces {count} event(s) but the batch holds {len(body)}")
    events = []
    for number, line in enumerate(body, start=2):
        item = _json_line(line, number)
        envelope, signature = item.get("envelope"), item.get("signature")
        if (
            set(item) != {"envelope", "signature"}
            or not isinstance(envelope, str)
            or not isinstance(signature, str)
        ):
            raise BatchInvalid(f"line {number}: expected an object with envelope and signature (text)")
        events.append(SignedEvent(envelope, signature))
    return BatchFile(device, events)


def _json_line(line: str, number: int) -> dict[str, object]:
    try:
        value = json.loads(line)
    except ValueError as exc:
        raise BatchInvalid(f"line {number}: not JSON") from exc
    if not isinstance(value, dict):
        raise BatchInvalid(f"line {number}: not a JSON object")
    return value
