"""The ledger's own errors (it stands alone: no other jaga package imports here).

LedgerError
 ├── FormatError        a note, checkpoint, tile path, key or payload that does not parse
 ├── ProofInvalid       an inclusion or consistency proof that does not verify
 ├── SignatureInvalid   no trusted signature verifies, or a known key's signature fails
 └── TreeError          a request the tree cannot answer (index beyond size, size going backwards)
"""

from __future__ import annotations


class LedgerError(Exception):
    """Base of every error the ledger library raises."""


class FormatError(LedgerError):
    pass


class ProofInvalid(LedgerError):
    pass


class SignatureInvalid(LedgerError):
    pass


class TreeError(LedgerError):
    pass
