"""Trees and proofs: whatever is generated verifies, whatever is tampered with does not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymerkle import InmemoryTree

from jaga.ledger import (
    EMPTY_ROOT,
    MemoryTree,
    ProofInvalid,
    RightBorder,
    TreeError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)


def tree_of(size: int) -> MemoryTree:
    tree = MemoryTree()
    tree.extend(f"entry {i}".encode() for i in range(size))
    return tree


def test_the_empty_tree_has_the_hash_of_nothing() -> None:
    assert MemoryTree().root() == EMPTY_ROOT == root_of([])


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 255, 256, 257, 1000])
def test_roots_agree_with_pymerkle(size: int) -> None:
    reference = InmemoryTree(algorithm="sha256")
    for i in range(size):
        reference.append_entry(f"entry {i}".encode())
    assert tree_of(size).root() == reference.get_root()


@settings(max_examples=200)
@given(st.integers(min_value=1, max_value=600), st.data())
def test_every_inclusion_proof_verifies(size: int, data: st.DataObject) -> None:
    tree = tree_of(size)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = inclusion_proof(tree, index, size)
    verify_inclusion(index, size, tree.leaf_hash(index), proof, tree.root())
    if proof:
        broken = list(proof)
        broken[data.draw(st.integers(0, len(proof) - 1))] = bytes(32)
        with pytest.raises(ProofInvalid):
            verify_inclusion(index, size, tree.leaf_hash(index), broken, tree.root())


@settings(max_examples=200)
@given(st.integers(min_value=1, max_value=600), st.data())
def test_every_consistency_proof_verifies(size: int, data: st.DataObject) -> None:
    tree = tree_of(size)
    old = data.draw(st.integers(min_value=1, max_value=size))
    proof = consistency_proof(tree, old, size)
    verify_consistency(old, size, proof, tree_of(old).root(), tree.root())
    if old < size:
        with pytest.raises(ProofInvalid):
            verify_consistency(old, size, proof, leaf_hash(b"forged"), tree.root())


def test_a_proof_for_another_leaf_or_root_fails() -> None:
    # The proof binds the leaf, its index and the root; the signed checkpoint binds the root to a size.
    tree = tree_of(100)
    proof = inclusion_proof(tree, 10, 100)
    with pytest.raises(ProofInvalid):
        verify_inclusion(11, 100, tree.leaf_hash(10), proof, tree.root())
    with pytest.raises(ProofInvalid):
        verify_inclusion(10, 100, tree.leaf_hash(10), proof, tree_of(99).root())
    with pytest.raises(ProofInvalid):
        verify_inclusion(10, 100, tree.leaf_hash(12), proof, tree.root())


def test_proofs_past_the_tree_are_refused() -> None:
    tree = tree_of(10)
    with pytest.raises(TreeError):
        inclusion_proof(tree, 10, 10)
    with pytest.raises(TreeError):
        consistency_proof(tree, 0, 10)


def test_a_right_border_resumes_a_tree() -> None:
    full = tree_of(1000)
    half = tree_of(600)
    resumed = RightBorder(600, half.border.hashes)
    for i in range(600, 1000):
        resumed.append_hash(leaf_hash(f"entry {i}".encode()))
    assert resumed.root() == full.root()
    with pytest.raises(TreeError):
        RightBorder(600, half.border.hashes[:-1])
