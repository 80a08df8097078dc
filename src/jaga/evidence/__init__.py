"""Evidence packs for court: a person's records with their events, salts, inclusion and consistency
proofs, the signed checkpoints, the certificates issued and a custody record, as one zip
(`jaga evidence pack`), and their offline verification (`jaga evidence verify`).

`verify` is pure (the standard library and `jaga.ledger` only): it runs on a court's laptop with no
database. `services` is the registry side. Neither imports FastAPI or Typer (only `api` and `cli` do).
"""

from jaga.evidence.services import PackMade, pack_case, pack_flag, pack_person
from jaga.evidence.verify import Check, PackReport, verify_pack

__all__ = ["Check", "PackMade", "PackReport", "pack_case", "pack_flag", "pack_person", "verify_pack"]
