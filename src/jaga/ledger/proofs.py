"""Inclusion and consistency proofs: generation from complete-subtree hashes, and verification exactly as
RFC 9162 sections 2.1.3.2 and 2.1.4.2 describe, with the edge cases of the transparency-dev test vectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from jaga.ledger.errors import ProofInvalid, TreeError
from jaga.ledger.hashing import EMPTY_ROOT, HASH_SIZE, largest_power_of_two_below, node_hash


class NodeReader(Protocol):
    """Hashes of complete, aligned subtrees: `node(level, index)` covers leaves
    [index * 2**level, (index + 1) * 2**level), which must all exist."""

    def node(self, level: int, index: int) -> bytes: ...


def subtree_hash(reader: NodeReader, start: int, end: int) -> bytes:
    """MTH(D[start:end]) for a range that starts on a boundary of its own split (as RFC 9162 ranges do)."""
    size = end - start
    if size <= 0:
        raise TreeError(f"empty range [{start}, {end})")
    if size & (size - 1) == 0 and start % size == 0:
        return reader.node(size.bit_length() - 1, start // size)
    k = largest_power_of_two_below(size)
    return node_hash(subtree_hash(reader, start, start + k), subtree_hash(reader, start + k, end))


def inclusion_proof(reader: NodeReader, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 2.1.3.1, leaf-side first."""
    if not 0 <= index < size:
        raise TreeError(f"leaf index {index} is not in a tree of size {size}")
    path: list[bytes] = []
    start, end, m = 0, size, index
    while end - start > 1:
        k = largest_power_of_two_below(end - start)
        if m < k:
            path.append(subtree_hash(reader, start + k, end))
            end = start + k
        else:
            path.append(subtree_hash(reader, start, start + k))
            start, m = start + k, m - k
    path.reverse()
    return path


def consistency_proof(reader: NodeReader, old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]) of RFC 9162 2.1.4.1."""
    if not 0 < old_size <= new_size:
        raise TreeError(f"no consistency proof from size {old_size} to size {new_size}")
    proof: list[bytes] = []
    start, end, m, complete = 0, new_size, old_size, True
    while m != end - start:
        k = largest_power_of_two_below(end - start)
        if m <= k:
            proof.append(subtree_hash(reader, start + k, end))
            end = start + k
        else:
            proof.append(subtree_hash(reader, start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        proof.append(subtree_hash(reader, start, end))
    proof.reverse()
    return proof


def _check_hash(value: bytes, what: str) -> None:
    if len(value) != HASH_SIZE:
        raise ProofInvalid(f"{what} has {len(value)} bytes, expected {HASH_SIZE}")


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root an inclusion proof leads to (RFC 9162 2.1.3.2, steps 1-4)."""
    if not 0 <= index < size:
        raise ProofInvalid(f"leaf index {index} is not below tree size {size}")
    _check_hash(leaf, "leaf hash")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        _check_hash(p, "proof hash")
        if sn == 0:
            raise ProofInvalid(f"proof has {len(proof)} hashes, more than a tree of size {size} needs")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofInvalid(f"proof has {len(proof)} hashes, fewer than a tree of size {size} needs")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Raise ProofInvalid unless `proof` shows `leaf` at `index` in the tree of `size` with `root`."""
    _check_hash(root, "root hash")
    computed = root_from_inclusion(index, size, leaf, proof)
    if computed != root:
        raise ProofInvalid(f"inclusion proof leads to root {computed.hex()}, expected {root.hex()}")


def verify_consistency(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> None:
    """Raise ProofInvalid unless the tree of `new_size` extends the tree of `old_size` (RFC 9162 2.1.4.2)."""
    if old_size > new_size:
        raise ProofInvalid(f"tree size went backwards, from {old_size} to {new_size}")
    if old_size == new_size:
        if proof:
            raise ProofInvalid("equal tree sizes need an empty consistency proof")
        if old_root != new_root:
            raise ProofInvalid(f"two roots for tree size {old_size}: {old_root.hex()} and {new_root.hex()}")
        if old_size == 0 and old_root != EMPTY_ROOT:
            raise ProofInvalid("the root of the empty tree must be the hash of nothing")
        return
    if old_size == 0:
        raise ProofInvalid("consistency from the empty tree proves nothing")
    if not proof:
        raise ProofInvalid("empty consistency proof for different tree sizes")
    for value in proof:
        _check_hash(value, "proof hash")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofInvalid("consistency proof is longer than the trees need")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofInvalid("consistency proof is shorter than the trees need")
    if fr != old_root:
        raise ProofInvalid(f"consistency proof leads to old root {fr.hex()}, expected {old_root.hex()}")
    if sr != new_root:
        raise ProofInvalid(f"consistency proof leads to new root {sr.hex()}, expected {new_root.hex()}")
