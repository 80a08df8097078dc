"""C2SP tlog-tiles: tile paths, the tiles of a tree, entry bundles, and proofs read from tiles.

A tile at level L holds up to 256 consecutive hashes of complete subtrees of height 8*L; entry bundles
hold the entries themselves, each with a big-endian uint16 length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from jaga.ledger.errors import FormatError, TreeError
from jaga.ledger.hashing import HASH_SIZE, node_hash

TILE_WIDTH = 256
TILE_HEIGHT = 8  # log2(TILE_WIDTH): tile levels are 8 tree levels apart
MAX_ENTRY = 0xFFFF  # entry bundles prefix each entry with a uint16 length


@dataclass(frozen=True, order=True)
class Tile:
    level: int  # -1 for entry bundles
    index: int
    width: int  # 256 for a full tile, 1-255 for a partial one

    @property
    def full(self) -> bool:
        return self.width == TILE_WIDTH

    def path(self) -> str:
        """`tile/0/x001/x234/067.p/12`, or `tile/entries/...` for bundles (C2SP tlog-tiles)."""
        level = "entries" if self.level < 0 else str(self.level)
        suffix = "" if self.full else f".p/{self.width}"
        return f"tile/{level}/{encode_index(self.index)}{suffix}"


def encode_index(index: int) -> str:
    """1234067 -> `x001/x234/067`: 3-digit elements, all but the last prefixed with x."""
    if index < 0:
        raise FormatError(f"tile index {index} is negative")
    digits = f"{index:d}"
    digits = "0" * (-len(digits) % 3) + digits
    parts = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    return "/".join([*("x" + p for p in parts[:-1]), parts[-1]])


_TILE_PATH = re.compile(r"^tile/(entries|0|[1-9][0-9]?)/((?:x[0-9]{3}/)*[0-9]{3})(?:\.p/([1-9][0-9]{0,2}))?$")


def parse_tile_path(path: str) -> Tile:
    """The tile a path names; FormatError for anything a conforming log would not serve."""
    match = _TILE_PATH.match(path)
    if not match:
        raise FormatError(f"not a tile path: {path!r}")
    level_text, index_text, width_text = match.groups()
    level = -1 if level_text == "entries" else int(level_text)
    if level > 63:
        raise FormatError(f"tile level {level} is above 63")
    index = int(index_text.replace("x", "").replace("/", ""))
    if "/" in index_text and index_text.startswith("x000"):
        raise FormatError(f"tile index {index_text!r} has a leading zero element")
    width = TILE_WIDTH if width_text is None else int(width_text)
    if not 1 <= width < TILE_WIDTH and width_text is not None:
        raise FormatError(f"partial tile width {width} is not 1-255")
    return Tile(level, index, width)


def tiles_for_size(size: int) -> list[Tile]:
    """Every hash tile of a tree of `size` (full and the partial ones at the right edge), bottom up."""
    tiles: list[Tile] = []
    level = 0
    while True:
        count = size >> (TILE_HEIGHT * level)  # hashes at this tile level
        if count == 0:
            break
        full, rest = divmod(count, TILE_WIDTH)
        tiles.extend(Tile(level, n, TILE_WIDTH) for n in range(full))
        if rest:
            tiles.append(Tile(level, full, rest))
        level += 1
    return tiles


def tile_width(level: int, index: int, size: int) -> int:
    """How many hashes (or entries, level -1) tile `index` of `level` holds in a tree of `size`; 0: none."""
    count = size >> (TILE_HEIGHT * max(level, 0))
    width = count - index * TILE_WIDTH
    return max(0, min(width, TILE_WIDTH))


def bundles_for_size(size: int) -> list[Tile]:
    full, rest = divmod(size, TILE_WIDTH)
    return [Tile(-1, n, TILE_WIDTH) for n in range(full)] + ([Tile(-1, full, rest)] if rest else [])


def encode_bundle(entries: Iterable[bytes]) -> bytes:
    out = bytearray()
    for entry in entries:
        if len(entry) > MAX_ENTRY:
            raise FormatError(f"entry of {len(entry)} bytes does not fit a bundle (at most {MAX_ENTRY})")
        out += len(entry).to_bytes(2, "big") + entry
    return bytes(out)


def decode_bundle(data: bytes) -> list[bytes]:
    entries, offset = [], 0
    while offset < len(data):
        if offset + 2 > len(data):
            raise FormatError("entry bundle ends inside a length prefix")
        length = int.from_bytes(data[offset : offset + 2], "big")
        offset += 2
        if offset + length > len(data):
            raise FormatError(f"entry bundle ends inside an entry of {length} bytes")
        entries.append(data[offset : offset + length])
        offset += length
    return entries


TileSource = Callable[[Tile], bytes]  # returns a tile's bytes (the caller validates the width)


class TileReader:
    """Complete-subtree hashes of a tree of `size`, read from its tiles (a `NodeReader`).

    A node whose height is a multiple of 8 is stored in a tile; any other node is hashed up from the
    (at most 128) stored hashes under it in the tile below it. Tiles read are kept for the reader's life.
    """

    def __init__(self, size: int, source: TileSource) -> None:
        self.size = size
        self._source = source
        self._cache: dict[tuple[int, int], bytes] = {}

    def _tile(self, level: int, index: int) -> bytes:
        key = (level, index)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        stored = self.size >> (TILE_HEIGHT * level)
        width = min(TILE_WIDTH, stored - index * TILE_WIDTH)
        if width <= 0:
            raise TreeError(f"no tile {level}/{index} in a tree of size {self.size}")
        data = self._source(Tile(level, index, width))
        if len(data) != width * HASH_SIZE:
            raise FormatError(f"tile {level}/{index} has {len(data)} bytes, expected {width * HASH_SIZE}")
        self._cache[key] = data
        return data

    def _stored(self, tile_level: int, index: int) -> bytes:
        data = self._tile(tile_level, index // TILE_WIDTH)
        offset = (index % TILE_WIDTH) * HASH_SIZE
        return data[offset : offset + HASH_SIZE]

    def node(self, level: int, index: int) -> bytes:
        if (index + 1) << level > self.size:
            raise TreeError(
                f"no complete subtree at level {level}, index {index} in a tree of size {self.size}"
            )
        tile_level, height = divmod(level, TILE_HEIGHT)
        if height == 0:
            return self._stored(tile_level, index)
        width = 1 << height
        hashes = [self._stored(tile_level, i) for i in range(index * width, (index + 1) * width)]
        while len(hashes) > 1:
            hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]


def tile_bytes(reader_levels: Callable[[int], bytes], tile: Tile) -> bytes:
    """A hash tile cut from per-level hash arrays (level L of the tiles is tree level 8L)."""
    data = reader_levels(tile.level * TILE_HEIGHT)
    start = tile.index * TILE_WIDTH * HASH_SIZE
    return bytes(data[start : start + tile.width * HASH_SIZE])


def iter_tiles(size: int) -> Iterator[Tile]:
    yield from tiles_for_size(size)
