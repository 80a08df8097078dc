"""Which size the log asks a witness to extend: the newest stored checkpoint carrying that witness's
cosignature, found however far back it is (the stored checkpoints are read a few at a time)."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from jaga.db import EventKind, UnitOfWork
from jaga.ledger import Cosigner, parse_note
from jaga.sequencer import LedgerCheckpoint, LedgerKeys, add_cosignatures, integrate
from jaga.sequencer.witnessing import STREAM_ROWS, Reply, WitnessEndpoint, push_checkpoint
from tests.sequencer.conftest import ORIGIN

CHECKPOINTS = 3 * STREAM_ROWS + 2


def _checkpoints(sessions: sessionmaker[Session], keys: LedgerKeys, count: int) -> int:
    """The events already there in one checkpoint, then `count` more, one event each; the first size."""
    first = integrate(sessions, keys, origin=ORIGIN).size + 1
    for n in range(count):
        with UnitOfWork(sessions) as uow:
            uow.record_state(EventKind.FACILITY_REGISTERED, "push_test", n + 1, {"n": n}, actor_id=None)
            uow.commit()
        integrate(sessions, keys, origin=ORIGIN)
    return first


def _old_size_asked(sessions: sessionmaker[Session], keys: LedgerKeys, witness: Cosigner) -> int:
    asked: list[bytes] = []

    def down(_url: str, body: bytes) -> Reply:
        asked.append(body)
        return Reply(503, "down for maintenance", "text/plain")

    endpoint = WitnessEndpoint("w", witness.verifier(), "http://witness.invalid")
    pushed = push_checkpoint(sessions, keys.verifiers(), [endpoint], post=down)
    assert not pushed.results[0].ok
    (body,) = asked
    return int(body.decode().split("\n", 1)[0].removeprefix("old "))


def test_the_log_asks_from_the_witness_last_cosignature_however_far_back(
    sessions: sessionmaker[Session], keys: LedgerKeys
) -> None:
    first = _checkpoints(sessions, keys, CHECKPOINTS)
    witness, stranger = Cosigner.generate("w.test/w1"), Cosigner.generate("w.test/w2")
    with sessions() as session, session.begin():
        note = parse_note(session.get_one(LedgerCheckpoint, first).note)
        cosigned = note.with_signature(witness.cosign(note.text, 1_700_000_000)).format()
        add_cosignatures(session, cosigned, keys.verifiers(), [witness.verifier()])
    assert _old_size_asked(sessions, keys, witness) == first  # more than three streamed batches back
    assert _old_size_asked(sessions, keys, stranger) == 0  # never cosigned: from the start
