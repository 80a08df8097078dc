"""An append-only Merkle tree that keeps every complete subtree hash, level by level.

Appending a leaf pushes its hash on the right border and merges equal-height subtrees (amortised one node
hash per leaf). Completed nodes are handed to a `NodeSink`; `MemoryTree` keeps them all in bytearrays,
which makes any inclusion or consistency proof a handful of slices.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Protocol

from jaga.ledger.errors import TreeError
from jaga.ledger.hashing import EMPTY_ROOT, HASH_SIZE, LEAF_PREFIX, NODE_PREFIX, node_hash


class NodeSink(Protocol):
    def add_node(self, level: int, index: int, value: bytes) -> None: ...


class RightBorder:
    """The complete subtrees along the tree's right edge: enough to append and to compute the root."""

    def __init__(self, size: int = 0, border: Iterable[bytes] = ()) -> None:
        self.size = size
        # Hashes of the complete subtrees that make up the tree, largest (leftmost) first; their heights are
        # the set bits of `size`, from the highest down.
        self.hashes = list(border)
        if len(self.hashes) != bin(size).count("1"):
            raise TreeError(
                f"a tree of size {size} has {bin(size).count('1')} border hashes, got {len(self.hashes)}"
            )

    def heights(self) -> list[int]:
        return [h for h in range(self.size.bit_length() - 1, -1, -1) if self.size >> h & 1]

    def append_hash(self, value: bytes, sink: NodeSink | None = None) -> None:
        """Append one leaf hash, reporting every node it completes to `sink`."""
        index, level, current = self.size, 0, value
        if sink is not None:
            sink.add_node(0, index, current)
        hashes = self.hashes
        while index & 1:  # the new subtree of height `level` has a left sibling of the same height
            current = hashlib.sha256(NODE_PREFIX + hashes.pop() + current).digest()
            index >>= 1
            level += 1
            if sink is not None:
                sink.add_node(level, index, current)
        hashes.append(current)
        self.size += 1

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        root = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            root = node_hash(left, root)
        return root


class MemoryTree:
    """A whole tree in memory: every complete node hash by level (2 hashes per leaf in all)."""

    def __init__(self) -> None:
        self.levels: list[bytearray] = [bytearray()]
        self.border = RightBorder()

    @property
    def size(self) -> int:
        return self.border.size

    def add_node(self, level: int, index: int, value: bytes) -> None:
        while len(self.levels) <= level:
            self.levels.append(bytearray())
        self.levels[level] += value

    def append(self, entry: bytes) -> int:
        """Append an entry; its leaf index."""
        index = self.border.size
        self.border.append_hash(hashlib.sha256(LEAF_PREFIX + entry).digest(), self)
        return index

    def extend(self, entries: Iterable[bytes]) -> None:
        """Append many entries (the hot path of bulk integration)."""
        sha256, prefix, border, levels = hashlib.sha256, LEAF_PREFIX, self.border, self.levels
        hashes = border.hashes
        size = border.size
        level0 = levels[0]
        for entry in entries:
            current = sha256(prefix + entry).digest()
            level0 += current
            index, level = size, 0
            while index & 1:
                current = sha256(NODE_PREFIX + hashes.pop() + current).digest()
                index >>= 1
                level += 1
                if len(levels) <= level:
                    levels.append(bytearray())
                levels[level] += current
            hashes.append(current)
            size += 1
        border.size = size

    def root(self) -> bytes:
        return self.border.root()

    def node(self, level: int, index: int) -> bytes:
        data = self.levels[level] if level < len(self.levels) else b""
        start = index * HASH_SIZE
        if start + HASH_SIZE > len(data):
            raise TreeError(
                f"no complete subtree at level {level}, index {index} in a tree of size {self.size}"
            )
        return bytes(data[start : start + HASH_SIZE])

    def leaf_hash(self, index: int) -> bytes:
        return self.node(0, index)
