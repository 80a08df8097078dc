"""A realistic certificate for the ledger benchmark, and the QR size it needs at national scale."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass

import segno
from rich.table import Table

from jaga.certificates.payload import CertificateProof, encode, qr_segments
from jaga.certificates.pdf import make_qr
from jaga.certificates.verify import ISSUED_KIND
from jaga.db.canonical import JsonValue, canonical_bytes
from jaga.ledger import (
    Checkpoint,
    Cosigner,
    Ed25519Signer,
    EventEntry,
    MemoryTree,
    commitment,
    inclusion_proof,
)

ORIGIN = "bench.jaga/ledger"
PUBLIC_ADDRESS = "https://registry.jaga.go.id"  # a realistic portal address for the verify link

# What a birth certificate's event payload looks like (a long Indonesian name, both parents, full dates).
CONTENT: dict[str, JsonValue] = {
    "v": 1,
    "type": "birth",
    "birth_ref": "B-7QK2M9XR4T",
    "akta_number": "3374-LT-12012025-0042",
    "child_name": "Muhammad Rizky Aditya Pratama",
    "child_sex": "M",
    "born_on": "2025-01-10",
    "born_at_time": "08:15",
    "place_of_birth": "Kelurahan Pedurungan Tengah (33.74.05.1003)",
    "mother_name": "Siti Nurhaliza binti Abdul Rahman",
    "father_name": "Ahmad Fauzi bin Sulaiman",
    "registered_on": "2025-01-20",
    "registration_region": "Kota Semarang (33.74)",
    "registrar_office": "Dinas Kependudukan dan Pencatatan Sipil Kota Semarang",
}
RECORD: dict[str, JsonValue] = {
    "id": 123_456_789,
    "ref": "C-9XK3M2QR7T",
    "region_code": "3374051003",
    "created_at": "2025-01-20T03:12:45.123456Z",
    "kind": "birth",
    "birth_id": 987_654_321,
    "adoption_case_id": None,
    "content": canonical_bytes(CONTENT).decode(),
    "status": "valid",
    "revoked_at": None,
    "revoked_reason": None,
}


@dataclass(frozen=True)
class BenchCertificate:
    index: int
    salt: bytes
    meta: bytes
    payload: bytes

    @classmethod
    def at(cls, index: int) -> BenchCertificate:
        return cls(index, secrets.token_bytes(16), secrets.token_bytes(32), canonical_bytes(RECORD))

    def entry(self) -> bytes:
        return EventEntry(
            self.index + 1, ISSUED_KIND, commitment(self.salt, self.payload), self.meta
        ).encode()

    def qr_payload(self, tree: MemoryTree, signer: Ed25519Signer, witness: Cosigner) -> str:
        """The QR payload proving this certificate in `tree`, signed by the log and cosigned."""
        size, root = tree.size, tree.root()
        note = Checkpoint(signer.name, size, root).sign(signer)
        cosigned = note.with_signature(witness.cosign(note.text, 1_767_225_600))
        return encode(
            CertificateProof(
                origin=signer.name,
                size=size,
                index=self.index,
                salt=self.salt,
                meta=self.meta,
                proof=tuple(inclusion_proof(tree, self.index, size)),
                signatures=tuple((s.key_id, s.signature) for s in cosigned.signatures),
                payload=self.payload,
            )
        )


def _version(content: str) -> str:
    try:
        return str(make_qr(content).version)
    except segno.DataOverflowError:
        return "does not fit"


def qr_size_table() -> Table:
    """Payload and QR code size for logs of 10^6 to 10^9 entries (proof length grows with log2): the
    printed verify link in byte + alphanumeric segments, against the same link in byte mode alone and the
    bare `JG1:` text."""
    table = Table(
        "log entries",
        "proof hashes",
        "witnesses",
        "link chars",
        "QR version (M): link, 2 segments",
        "link, byte mode only",
        "JG1: text",
        "side, 0.4 mm/module",
        title=f"Certificate QR code at national scale (verify link {PUBLIC_ADDRESS}/v#JG1U:...)",
    )
    labels = {10**6: "1 million", 10**8: "100 million", 10**9: "1 billion", 5 * 10**9: "5 billion"}
    for entries, label in labels.items():
        hashes = math.ceil(math.log2(entries))
        for witnesses in (0, 2):
            signatures = [(1, secrets.token_bytes(64))] + [
                (i + 2, secrets.token_bytes(72)) for i in range(witnesses)
            ]
            proof = CertificateProof(
                origin="registry.jaga.go.id/ledger",
                size=entries,
                index=entries // 2,
                salt=secrets.token_bytes(16),
                meta=secrets.token_bytes(32),
                proof=tuple(secrets.token_bytes(32) for _ in range(hashes)),
                signatures=tuple(signatures),
                payload=canonical_bytes(RECORD),
            )
            segments = qr_segments(PUBLIC_ADDRESS, proof)
            link = "".join(segments)
            mixed = make_qr(segments)
            modules = mixed.symbol_size(border=4)[0]
            table.add_row(
                label,
                str(hashes),
                str(witnesses),
                f"{len(link):,}",
                str(mixed.version),
                _version(link),
                _version(encode(proof)),
                f"{modules * 0.4:.0f} mm",
            )
    return table
