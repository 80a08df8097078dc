"""RFC 9162 section 2.1 (as RFC 6962): SHA-256 Merkle tree hashes with domain-separated leaves and nodes."""

from __future__ import annotations

import hashlib

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"  # RFC 9162 2.1.1: MTH({d(0)}) = HASH(0x00 || d(0))
NODE_PREFIX = b"\x01"  # RFC 9162 2.1.1: HASH(0x01 || MTH(left) || MTH(right))
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = HASH()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def largest_power_of_two_below(n: int) -> int:
    """k such that k < n <= 2k (RFC 9162's split point); n must be at least 2."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaf_hashes: list[bytes]) -> bytes:
    """MTH of a list of leaf hashes, computed bottom-up (reference implementation for tests and audits)."""
    if not leaf_hashes:
        return EMPTY_ROOT
    stack: list[tuple[int, bytes]] = []  # (height, hash) of complete subtrees on the right border
    for value in leaf_hashes:
        height, current = 0, value
        while stack and stack[-1][0] == height:
            current = node_hash(stack.pop()[1], current)
            height += 1
        stack.append((height, current))
    root = stack.pop()[1]
    while stack:
        root = node_hash(stack.pop()[1], root)
    return root
