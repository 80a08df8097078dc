"""An append-only Merkle tree that keeps every complete subtree hash, level by level.

Appending a leaf pushes its hash on the right border and merges equal-height subtrees (amortised one node
hash per leaf). Completed nodes are handed to a `NodeSink`; `MemoryTree` keeps them all in bytearrays,
which makes any inclusion or consistency proof a handful of slices.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
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


def leaf_hash_run(entries: Sequence[bytes]) -> bytes:
    """The leaf hashes of `entries`, concatenated.

    Two SHA-256 calls per leaf (its own and, amortised, one parent) are the floor: CPython hashes small
    inputs holding the GIL, and forked workers were measured no faster (copying the entries' pages on
    write ate the gain), so this stays one loop in one process. Measured faster than the obvious
    `b"".join([sha256(prefix + entry).digest() ...])`: copying a hasher already fed the prefix (no
    concatenation per leaf) and growing one bytearray (no million-element list), ~20% together.
    """
    prefixed = hashlib.sha256(LEAF_PREFIX)
    out = bytearray()
    for entry in entries:
        hasher = prefixed.copy()
        hasher.update(entry)
        out += hasher.digest()
    return bytes(out)


def parent_hash_run(children: bytes) -> bytes:
    """The parents of a run of sibling pairs (an odd last child is left out), concatenated."""
    prefixed = hashlib.sha256(NODE_PREFIX)
    out = bytearray()
    pairs = len(children) // (2 * HASH_SIZE) * 2 * HASH_SIZE
    for i in range(0, pairs, 2 * HASH_SIZE):
        hasher = prefixed.copy()
        hasher.update(children[i : i + 2 * HASH_SIZE])
        out += hasher.digest()
    return bytes(out)


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
        """Append many entries, level by level: each level is one contiguous run of hashes and its
        parents are hashed in one pass over 64-byte pairs (the batch's first node borrows its stored
        left sibling when it is a right child)."""
        levels = self.levels
        if not isinstance(entries, Sequence):
            entries = list(entries)
        old_size = self.border.size
        current = leaf_hash_run(entries)
        new_size = old_size + len(entries)
        level, start = 0, old_size  # `start`: index at this level of the first hash in `current`
        while current:
            if len(levels) <= level:
                levels.append(bytearray())
            levels[level] += current
            if start & 1:  # the first new node is a right child; its left sibling is already stored
                current = self.node(level, start - 1) + current
                start -= 1
            current = parent_hash_run(current)
            level, start = level + 1, start >> 1
        self.border = RightBorder(
            new_size,
            [
                self.node(h, (new_size >> h) - 1)
                for h in range(new_size.bit_length() - 1, -1, -1)
                if new_size >> h & 1
            ],
        )

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
