"""What the outside world asks of the log: its checkpoint, proofs, a static copy, witness cosignatures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jaga.db import EventRecord
from jaga.errors import CosignatureRejected, InvalidInput, NotFound
from jaga.files import PUBLIC_FILE, atomic_write, atomic_write_bytes
from jaga.ledger import (
    LedgerError,
    Tile,
    bundles_for_size,
    consistency_proof,
    inclusion_proof,
    open_checkpoint,
    parse_note,
    parse_tile_path,
    tiles_for_size,
)
from jaga.ledger.note import Verifier
from jaga.ledger.tiles import tile_width
from jaga.sequencer.models import LedgerCheckpoint, LedgerState
from jaga.sequencer.store import read_tile, tile_reader


@dataclass(frozen=True)
class InclusionProof:
    index: int
    size: int
    proof: list[bytes]
    checkpoint: str  # the signed note the proof leads to


def state(session: Session) -> LedgerState:
    found = session.get(LedgerState, 1)
    if found is None or found.checkpoint is None:
        raise NotFound("the ledger has no signed checkpoint yet; run `jaga ledger integrate`")
    return found


def pending_events(session: Session) -> int:
    """Committed events not yet in the log."""
    found = session.get(LedgerState, 1)
    size = found.size if found is not None else 0
    return int(
        session.scalar(select(func.count()).select_from(EventRecord).where(EventRecord.seq > size)) or 0
    )


def prove_inclusion(session: Session, seq: int) -> InclusionProof:
    """The inclusion proof of event `seq` in the latest checkpoint (which must contain it)."""
    current = state(session)
    if not 1 <= seq <= current.size:
        raise NotFound(f"event seq {seq} is not in the log yet (the log holds {current.size} events)")
    proof = inclusion_proof(tile_reader(session, current.size), seq - 1, current.size)
    assert current.checkpoint is not None
    return InclusionProof(seq - 1, current.size, proof, current.checkpoint)


def prove_consistency(
    session: Session, old_size: int, new_size: int | None = None
) -> tuple[int, list[bytes]]:
    current = state(session)
    target = current.size if new_size is None else new_size
    if not 0 < old_size <= target <= current.size:
        raise InvalidInput(f"no consistency proof from size {old_size} to {target} (log size {current.size})")
    return target, consistency_proof(tile_reader(session, current.size), old_size, target)


def export_tiles(session: Session, folder: Path) -> int:
    """Write the static copy (checkpoint, tiles, entry bundles) any web host can serve; files written."""
    current = state(session)
    written = 0
    for tile in [*tiles_for_size(current.size), *bundles_for_size(current.size)]:
        # Public files, each renamed into place whole; the checkpoint last, so a reader never sees a
        # checkpoint whose tiles are missing or half-written.
        atomic_write_bytes(folder / tile.path(), read_tile(session, tile), mode=PUBLIC_FILE)
        written += 1
    assert current.checkpoint is not None
    atomic_write(folder / "checkpoint", current.checkpoint, mode=PUBLIC_FILE)
    return written + 1


def serve_tile(session: Session, path: str) -> bytes:
    """A tile or bundle by its tlog-tiles path, as long as the current tree has it at that width."""
    try:
        tile: Tile = parse_tile_path(path)
    except LedgerError as exc:
        raise NotFound(str(exc)) from exc
    current = state(session)
    stored_width = tile_width(tile.level, tile.index, current.size)
    if tile.width > stored_width:
        raise NotFound(f"no tile {path} in a log of size {current.size}")
    try:
        return read_tile(session, tile)
    except KeyError as exc:
        raise NotFound(f"no tile {path}") from exc


def add_cosignatures(
    session: Session, note_text: str, log: list[Verifier], witnesses: list[Verifier]
) -> list[str]:
    """Attach the witnesses' cosignatures in `note_text` to the stored checkpoint of the same size.

    The note must be one of this log's checkpoints; each cosignature from a configured witness must verify
    (an unknown cosigner is ignored). Returns the names of the witnesses added.
    """
    try:
        checkpoint, note = open_checkpoint(note_text, log)
    except LedgerError as exc:
        raise CosignatureRejected(str(exc)) from exc
    stored = session.get(LedgerCheckpoint, checkpoint.size)
    if stored is None or stored.root != checkpoint.root:
        raise CosignatureRejected(
            f"the log never signed a checkpoint of size {checkpoint.size} with that root"
        )
    merged = parse_note(stored.note)
    added = []
    for signature in note.signatures:
        for witness in witnesses:
            if (signature.name, signature.key_id) == (witness.name, witness.key_id) and witness.verify(
                note.text, signature.signature
            ):
                merged = merged.with_signature(signature)
                added.append(signature.name)
    if not added:
        raise CosignatureRejected(
            "the note carries no valid cosignature from a configured witness (settings: witness_vkeys)"
        )
    stored.note = merged.format()
    current = session.get(LedgerState, 1)
    if current is not None and current.size == checkpoint.size:
        current.checkpoint = stored.note
    return added


def checkpoint_at(session: Session, size: int) -> str:
    row = session.scalar(select(LedgerCheckpoint).where(LedgerCheckpoint.size == size))
    if row is None:
        raise NotFound(f"the log signed no checkpoint of size {size}")
    return row.note
