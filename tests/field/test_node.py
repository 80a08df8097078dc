"""The device side without a server: event ids, the chain as recorded, and the outbox's states."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from jaga.field import Node, parse_batch, render_batch, uuid7
from jaga.field.chain import GENESIS, SignedEvent
from jaga.field.node import export_batch, outbox, record
from tests.field.conftest import NOW, OFFICER, mother_row, record_family


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(9000, 1, 1), timezones=st.just(UTC)))
def test_uuid7_has_its_version_variant_and_time(moment: datetime) -> None:
    value = uuid.UUID(uuid7(moment))
    assert value.version == 7 and value.variant == uuid.RFC_4122
    assert value.int >> 80 == int(moment.timestamp() * 1000)


def test_uuid7s_sort_by_time() -> None:
    earlier, later = uuid7(NOW), uuid7(NOW + timedelta(milliseconds=1))
    assert earlier < later


@given(
    st.lists(st.tuples(st.text(max_size=50), st.text(max_size=20)), max_size=5),
    st.text(min_size=1, max_size=20),
)
def test_whatever_renders_parses_back(pairs: list[tuple[str, str]], device: str) -> None:
    events = [SignedEvent(e, s) for e, s in pairs]
    parsed = parse_batch(render_batch(device, events))
    assert (parsed.device, parsed.events) == (device, events)


def test_recorded_events_chain_and_keep_time_moving_forward(node: Node, tmp_path: Path) -> None:
    record_family(node)
    # A device clock set back: the event is stamped with its predecessor's time, never earlier.
    record(
        node, "people", [mother_row(serial=3)], officer=OFFICER, now=NOW - timedelta(days=1), from_file=False
    )
    out = tmp_path / "b.jaga"
    export_batch(node, out, now=NOW)
    events = parse_batch(out.read_bytes()).events
    fields = [e.fields() for e in events]
    assert [f["seq"] for f in fields] == [1, 2, 3]
    assert [f["prev"] for f in fields] == [GENESIS, events[0].hash, events[1].hash]
    assert fields[2]["created_at"] >= fields[1]["created_at"]


def test_nothing_stays_sending_forever(node: Node, tmp_path: Path) -> None:
    record_family(node)
    export_batch(node, tmp_path / "b.jaga", now=NOW)
    assert {i.state for i in outbox(node, now=NOW + timedelta(minutes=29), stale_minutes=30)} == {"sending"}
    items = outbox(node, now=NOW + timedelta(minutes=31), stale_minutes=30)
    assert {i.state for i in items} == {"pending"}
    assert all("no answer within 30 minutes" in (i.last_error or "") for i in items)
    export_batch(node, tmp_path / "again.jaga", now=NOW + timedelta(minutes=40))
    assert [i.attempts for i in outbox(node, now=NOW + timedelta(minutes=41))] == [2, 2]
