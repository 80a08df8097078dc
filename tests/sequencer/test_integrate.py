"""Integrating committed events into the log: batches, checkpoints, proofs, tiles, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.db import EventRecord
from jaga.errors import CheckpointRolledBack, CosignatureRejected, LogGap, NotFound
from jaga.ledger import (
    Checkpoint,
    Cosigner,
    TileReader,
    leaf_hash,
    open_checkpoint,
    open_note,
    root_of,
    verify_consistency,
    verify_inclusion,
)
from jaga.sequencer import (
    LedgerCheckpoint,
    LedgerKeys,
    add_cosignatures,
    export_tiles,
    integrate,
    prove_consistency,
    prove_inclusion,
    serve_tile,
)
from tests.factories.registry import facility, mother, official
from tests.sequencer.conftest import ORIGIN


def _leaves(session: Session) -> list[bytes]:
    events = session.scalars(select(EventRecord).order_by(EventRecord.seq))
    return [leaf_hash(event.log_entry().encode()) for event in events]


def test_integrating_in_small_batches_signs_a_checkpoint_per_batch(
    sessions: sessionmaker[Session], actors: dict[str, Actor], keys: LedgerKeys
) -> None:
    first = integrate(sessions, keys, origin=ORIGIN, batch=4)
    facility(sessions, actors["admin"])
    official(sessions, actors["admin"])
    for _ in range(3):
        mother(sessions, actors["facility"])
    done = integrate(sessions, keys, origin=ORIGIN, batch=4)

    with sessions() as session:
        leaves = _leaves(session)
        assert done.size == len(leaves) == first.size + done.added
        assert done.added == 5
        assert done.root == root_of(leaves)
        checkpoint, _ = open_checkpoint(done.checkpoint, [keys.signer.verifier()], origin=ORIGIN)
        assert (checkpoint.size, checkpoint.root) == (done.size, done.root)
        signed = list(session.scalars(select(LedgerCheckpoint).order_by(LedgerCheckpoint.size)))
        sizes = [row.size for row in signed]
        # The earlier log, then one checkpoint per batch of at most four events.
        assert sizes[-2:] == [first.size + 4, done.size]
        for row in signed:
            assert row.root == root_of(leaves[: row.size])
            if row.size:
                _, proof = prove_consistency(session, row.size)
                verify_consistency(row.size, done.size, proof, row.root, done.root)


def test_integrating_again_with_nothing_new_changes_nothing(
    sessions: sessionmaker[Session], keys: LedgerKeys
) -> None:
    first = integrate(sessions, keys, origin=ORIGIN)
    again = integrate(sessions, keys, origin=ORIGIN)
    assert (again.size, again.root, again.added) == (first.size, first.root, 0)


def test_every_event_has_an_inclusion_proof_to_the_signed_root(
    sessions: sessionmaker[Session], actors: dict[str, Actor], keys: LedgerKeys
) -> None:
    for _ in range(4):
        mother(sessions, actors["facility"])
    done = integrate(sessions, keys, origin=ORIGIN, batch=7)
    with sessions() as session:
        leaves = _leaves(session)
        for seq in range(1, done.size + 1):
            proof = prove_inclusion(session, seq)
            assert proof.size == done.size
            verify_inclusion(seq - 1, done.size, leaves[seq - 1], proof.proof, done.root)
        with pytest.raises(NotFound, match="not in the log yet"):
            prove_inclusion(session, done.size + 1)


def test_exported_tiles_rebuild_the_same_tree(
    sessions: sessionmaker[Session], actors: dict[str, Actor], keys: LedgerKeys, tmp_path: Path
) -> None:
    for _ in range(3):
        mother(sessions, actors["facility"])
    done = integrate(sessions, keys, origin=ORIGIN, batch=5)
    folder = tmp_path / "static"
    with sessions() as session:
        written = export_tiles(session, folder)
        leaves = _leaves(session)
        # What the portal serves is what was exported.
        for path in folder.rglob("tile/*"):
            if path.is_file():
                relative = path.relative_to(folder).as_posix()
                assert serve_tile(session, relative) == path.read_bytes()
    assert written == sum(1 for p in folder.rglob("*") if p.is_file())
    assert (folder / "checkpoint").read_text() == done.checkpoint
    reader = TileReader(done.size, lambda tile: (folder / tile.path()).read_bytes())
    assert reader.node(0, done.size - 1) == leaves[-1]
    from jaga.ledger import subtree_hash

    assert subtree_hash(reader, 0, done.size) == done.root


def test_a_gap_in_the_events_stops_integration_without_a_partial_batch(
    sessions: sessionmaker[Session], actors: dict[str, Actor], keys: LedgerKeys
) -> None:
    before = integrate(sessions, keys, origin=ORIGIN)
    for _ in range(3):
        mother(sessions, actors["facility"])
    with sessions() as session, session.begin():
        session.execute(delete(EventRecord).where(EventRecord.seq == before.size + 2))
    with pytest.raises(LogGap, match=f"event seq {before.size + 2} is missing"):
        integrate(sessions, keys, origin=ORIGIN)
    with sessions() as session:
        assert session.scalar(select(func.max(LedgerCheckpoint.size))) == before.size


def test_the_key_refuses_to_sign_a_smaller_tree_or_a_second_root(keys: LedgerKeys) -> None:
    keys.sign(Checkpoint(ORIGIN, 10, b"\x01" * 32))
    with pytest.raises(CheckpointRolledBack, match="already signed size 10"):
        keys.sign(Checkpoint(ORIGIN, 9, b"\x01" * 32))
    with pytest.raises(CheckpointRolledBack, match="second root for tree size 10"):
        keys.sign(Checkpoint(ORIGIN, 10, b"\x02" * 32))
    keys.sign(Checkpoint(ORIGIN, 10, b"\x01" * 32))  # the same tree again is fine
    keys.sign(Checkpoint(ORIGIN, 11, b"\x02" * 32))


def test_witness_cosignatures_are_attached_to_the_checkpoint_they_sign(
    sessions: sessionmaker[Session], keys: LedgerKeys
) -> None:
    done = integrate(sessions, keys, origin=ORIGIN)
    witness, stranger = Cosigner.generate("witness.example/w1"), Cosigner.generate("stranger.example")
    cosigned = (
        open_note(done.checkpoint, [keys.signer.verifier()])[0]
        .with_signature(witness.cosign(Checkpoint(ORIGIN, done.size, done.root).text(), 1_700_000_000))
        .with_signature(stranger.cosign(Checkpoint(ORIGIN, done.size, done.root).text(), 1_700_000_000))
    )
    log = [keys.signer.verifier()]
    with sessions() as session, session.begin():
        added = add_cosignatures(session, cosigned.format(), log, [witness.verifier()])
    assert added == ["witness.example/w1"]
    with sessions() as session:
        stored = session.get(LedgerCheckpoint, done.size)
        assert stored is not None
        _, good = open_note(stored.note, [keys.signer.verifier(), witness.verifier(), stranger.verifier()])
        assert {v.name for v in good} == {ORIGIN, "witness.example/w1"}  # the stranger was not kept
        forged = Checkpoint(ORIGIN, done.size, b"\x00" * 32).sign(keys.signer)
        with pytest.raises(CosignatureRejected, match="never signed a checkpoint"):
            add_cosignatures(session, forged.format(), log, [witness.verifier()])
        with pytest.raises(CosignatureRejected, match="no valid cosignature from a configured witness"):
            add_cosignatures(session, cosigned.format(), log, [])


def test_a_key_that_signed_ahead_of_the_database_is_caught_up_with_not_refused(
    sessions: sessionmaker[Session], actors: dict[str, Actor], keys: LedgerKeys
) -> None:
    """A crash between signing and committing: the key remembers a tree the database never stored."""
    for _ in range(3):
        mother(sessions, actors["facility"])
    with sessions() as session:
        leaves = _leaves(session)
    keys.sign(Checkpoint(ORIGIN, len(leaves), root_of(leaves)))  # signed, then "crashed"
    done = integrate(sessions, keys, origin=ORIGIN, batch=2)  # a smaller batch than the lost one
    assert (done.size, done.root) == (len(leaves), root_of(leaves))
