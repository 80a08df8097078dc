"""Evidence packs for court: a person's records with their events, salts, inclusion and consistency
proofs, the signed checkpoints, the certificates issued and a custody record, as one zip
(`jaga evidence pack`), their seal (the log's proof that the registry made the pack, `jaga evidence
seal`), and their offline verification (`jaga evidence verify`).

`verify` (with `format`, `seal` and `trust`) is pure (the standard library and `jaga.ledger` only): it
runs on a court's laptop with no database. `services`, `witnessed` and `sealing` are the registry side.
None imports FastAPI or Typer (only `api` and `cli` do).
"""

from jaga.evidence.seal import seal_pack
from jaga.evidence.sealing import Receipt, seal_receipt
from jaga.evidence.services import PackMade, pack_case, pack_flag, pack_person
from jaga.evidence.trust import Verdict, WitnessTrust
from jaga.evidence.verify import Check, PackReport, verify_pack
from jaga.evidence.witnessed import PackOptions, server_trust

__all__ = [
    "Check",
    "PackMade",
    "PackOptions",
    "PackReport",
    "Receipt",
    "Verdict",
    "WitnessTrust",
    "pack_case",
    "pack_flag",
    "pack_person",
    "seal_pack",
    "seal_receipt",
    "server_trust",
    "verify_pack",
]
