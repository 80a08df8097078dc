"""Tiles in the database: reading them for proofs, and growing them as leaves are integrated."""

from __future__ import annotations

from sqlalchemy.orm import Session

from jaga.ledger import HASH_SIZE, TILE_WIDTH, Tile, TileReader, decode_bundle, encode_bundle
from jaga.ledger.tiles import TILE_HEIGHT
from jaga.sequencer.models import LedgerTile

ENTRY_LEVEL = -1


def read_tile(session: Session, tile: Tile) -> bytes:
    """A tile at the requested width: tiles only grow, so a narrower one is a prefix of what is stored."""
    row = session.get(LedgerTile, (tile.level, tile.index))
    if row is None or row.width < tile.width:
        raise KeyError(tile.path())
    if tile.level == ENTRY_LEVEL:
        return row.data if row.width == tile.width else encode_bundle(decode_bundle(row.data)[: tile.width])
    return row.data[: tile.width * HASH_SIZE]


def tile_reader(session: Session, size: int) -> TileReader:
    return TileReader(size, lambda tile: read_tile(session, tile))


class TileWriter:
    """Collects the hashes and entries a batch of leaves adds, then writes the tiles it changed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._open: dict[int, tuple[int, bytearray, int]] = {}  # level -> (tile index, data, width)
        self._done: list[tuple[int, int, bytes, int]] = []

    def _append(self, level: int, position: int, item: bytes) -> None:
        index = position // TILE_WIDTH
        current = self._open.get(level)
        if current is None or current[0] != index:
            if current is not None:
                self._done.append((level, current[0], bytes(current[1]), current[2]))
            row = self.session.get(LedgerTile, (level, index)) if position % TILE_WIDTH else None
            data = bytearray(row.data) if row is not None else bytearray()
            width = row.width if row is not None else 0
            if width != position % TILE_WIDTH:
                raise AssertionError(
                    f"tile {level}/{index} holds {width} items, expected {position % TILE_WIDTH}"
                )
            current = (index, data, width)
        index, data, width = current
        if level == ENTRY_LEVEL:
            data += len(item).to_bytes(2, "big") + item
        else:
            data += item
        self._open[level] = (index, data, width + 1)

    def add_node(self, level: int, index: int, value: bytes) -> None:
        """NodeSink: keep the nodes whose height is a multiple of 8 (those are what tiles store)."""
        if level % TILE_HEIGHT == 0:
            self._append(level // TILE_HEIGHT, index, value)

    def add_entry(self, position: int, entry: bytes) -> None:
        self._append(ENTRY_LEVEL, position, entry)

    def flush(self) -> None:
        for level, (index, data, width) in self._open.items():
            self._done.append((level, index, bytes(data), width))
        self._open.clear()
        for level, index, content, width in self._done:
            row = self.session.get(LedgerTile, (level, index))
            if row is None:
                self.session.add(LedgerTile(level=level, idx=index, width=width, data=content))
            else:
                row.width, row.data = width, content
        self._done.clear()
        self.session.flush()
