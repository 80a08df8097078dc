"""Every refusal of a batch reads in Bahasa Indonesia as well (the API's catalog knows its template)."""

from __future__ import annotations

import pytest

from jaga.errors import JagaError
from jaga.field import parse_batch
from jaga.web.translations import translate

HEADER = '{"format": "jaga-field-batch", "version": 1, "device": "FD-X", "events": %d}'


@pytest.mark.parametrize(
    "data",
    [
        b"\xff",
        b"",
        b"[]",
        HEADER.encode() % 2 + b"\n{}\n",
        HEADER.encode() % 1 + b"\nnope\n",
        b'{"format": 1}',
    ],
)
def test_every_batch_refusal_is_translated(data: bytes) -> None:
    with pytest.raises(JagaError) as caught:
        parse_batch(data)
    assert translate(caught.value.message) is not None, caught.value.message


@pytest.mark.parametrize(
    "message",
    [
        "event 2 (01890a5d-ac96-774b-bcce-b302099a8057): at chain position 4 after position 2: events are "
        "missing or out of order",
        "event 1 (01890a5d-ac96-774b-bcce-b302099a8057): the signature does not verify with the device's "
        "enrolled key",
        "device FD-ABC was revoked on 2026-03-01; its batches are refused",
        "batch from device FD-ABC refused: 1 of 2 new event(s) refused (first: event 2, mother_ref: no person "
        "with ref 'P-1'); nothing was written",
        "field conflict 7 depends on held event 01890a5d-ac96-774b-bcce-b302099a8057: decide that one first "
        "(applying it releases this one)",
    ],
)
def test_chain_and_device_refusals_are_translated(message: str) -> None:
    assert translate(message) is not None
