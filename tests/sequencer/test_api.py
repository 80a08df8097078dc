"""`/ledger/checkpoint` and `/ledger/tile/...`: public, the same bytes as the export, cached sensibly."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from jaga.db import EventKind, UnitOfWork
from jaga.ledger import bundles_for_size, tiles_for_size
from jaga.sequencer import LedgerKeys, integrate
from jaga.sequencer.store import read_tile
from tests.conftest import ClientFor
from tests.sequencer.conftest import ORIGIN


def _events(sessions: sessionmaker[Session], count: int) -> None:
    with UnitOfWork(sessions) as uow:
        for n in range(count):
            uow.record_state(EventKind.FACILITY_REGISTERED, "ledger_test", n + 1, {"n": n}, actor_id=None)
        uow.commit()


def test_anyone_can_read_the_checkpoint_and_every_tile(
    sessions: sessionmaker[Session], keys: LedgerKeys, client_for: ClientFor
) -> None:
    _events(sessions, 300)
    done = integrate(sessions, keys, origin=ORIGIN)
    anonymous = client_for(None)
    answer = anonymous.get("/ledger/checkpoint")
    assert answer.status_code == 200
    assert answer.text == done.checkpoint
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.headers["cache-control"] == "public, max-age=5"
    with sessions() as session:
        for tile in [*tiles_for_size(done.size), *bundles_for_size(done.size)]:
            got = anonymous.get(f"/ledger/{tile.path()}")
            assert got.status_code == 200, tile.path()
            assert got.content == read_tile(session, tile)
            expected_cache = "public, max-age=31536000, immutable" if tile.full else "public, max-age=5"
            assert got.headers["cache-control"] == expected_cache
    assert any(t.full for t in tiles_for_size(done.size))


def test_tiles_the_log_does_not_have_are_404_problems(
    sessions: sessionmaker[Session], keys: LedgerKeys, client_for: ClientFor
) -> None:
    _events(sessions, 10)
    done = integrate(sessions, keys, origin=ORIGIN)
    anonymous = client_for(None)
    wider = done.size % 256 + 1
    for path in [
        "tile/0/001",  # beyond the tree
        f"tile/0/000.p/{wider}",  # wider than the tree
        "tile/1/000",  # no level-1 tile yet
        "tile/0/x000/001",  # a leading zero element
        "tile/0/000.p/0",
        "tile/../../etc/passwd",
        "tile/entries/abc",
    ]:
        got = anonymous.get(f"/ledger/{path}")
        assert got.status_code == 404, path
        assert got.headers["content-type"] == "application/problem+json"
