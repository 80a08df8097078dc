"""A pure transparency-log library: RFC 9162 Merkle trees and proofs, C2SP signed notes, checkpoints,
cosignatures and tiles, and jaga's event entries.

Imports only the standard library and `cryptography` (no ORM, no web, no other jaga package): it could
be published alone, and an auditor can read it alone.

The one exception is `jaga.ledger.cli`, the `jaga ledger ...` command group: it lives here so that a
newcomer finds the command where its name says, and it is an adapter over `jaga.sequencer` (the log's
database side). Nothing in this package imports it; import-linter checks both rules.
"""

from jaga.ledger.checkpoint import Checkpoint, open_checkpoint, parse_checkpoint_text
from jaga.ledger.cosignature import CosignatureVerifier, Cosigner
from jaga.ledger.errors import FormatError, LedgerError, ProofInvalid, SignatureInvalid, TreeError
from jaga.ledger.events import EventEntry, commitment, decode_entry, meta_hash
from jaga.ledger.hashing import EMPTY_ROOT, HASH_SIZE, leaf_hash, node_hash, root_of
from jaga.ledger.keys import parse_skey, parse_vkey
from jaga.ledger.note import Ed25519Signer, Ed25519Verifier, Note, Signature, open_note, parse_note, sign_note
from jaga.ledger.proofs import (
    NodeReader,
    consistency_proof,
    inclusion_proof,
    root_from_inclusion,
    subtree_hash,
    verify_consistency,
    verify_inclusion,
)
from jaga.ledger.tiles import (
    TILE_WIDTH,
    Tile,
    TileReader,
    bundles_for_size,
    decode_bundle,
    encode_bundle,
    parse_tile_path,
    tiles_for_size,
)
from jaga.ledger.tree import MemoryTree, RightBorder

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "TILE_WIDTH",
    "Checkpoint",
    "CosignatureVerifier",
    "Cosigner",
    "Ed25519Signer",
    "Ed25519Verifier",
    "EventEntry",
    "FormatError",
    "LedgerError",
    "MemoryTree",
    "NodeReader",
    "Note",
    "ProofInvalid",
    "RightBorder",
    "Signature",
    "SignatureInvalid",
    "Tile",
    "TileReader",
    "TreeError",
    "bundles_for_size",
    "commitment",
    "consistency_proof",
    "decode_bundle",
    "decode_entry",
    "encode_bundle",
    "inclusion_proof",
    "leaf_hash",
    "meta_hash",
    "node_hash",
    "open_checkpoint",
    "open_note",
    "parse_checkpoint_text",
    "parse_note",
    "parse_skey",
    "parse_tile_path",
    "parse_vkey",
    "root_from_inclusion",
    "root_of",
    "sign_note",
    "subtree_hash",
    "tiles_for_size",
    "verify_consistency",
    "verify_inclusion",
]
