"""A corpus of certificate links: one real certificate, cosigned by a test witness, and every kind of
alteration or damage, each with the verdict an offline verifier must reach.

`jaga verify` and the portal's verify.js both read every item (tests/portal/test_verify_corpus.py); their
verdicts and their checks must agree, item by item.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, replace

from jaga.certificates.base42 import b42decode, b42encode
from jaga.certificates.payload import URL_MARKER, CertificateProof, decode, encode_fragment
from jaga.ledger import (
    Checkpoint,
    Cosigner,
    Ed25519Signer,
    EventEntry,
    commitment,
    leaf_hash,
    root_from_inclusion,
)

ISSUED = "certificate.issued"
WITNESS_TIME = 1_767_225_600  # 2026-01-01


@dataclass(frozen=True)
class Item:
    name: str
    fragment: str  # what follows `#` in the link
    verdict: str  # what an offline verifier must say: valid | invalid


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def checkpoint_text(proof: CertificateProof) -> str:
    """The checkpoint a proof leads to (the root is recomputed, as a verifier does)."""
    entry = EventEntry(proof.seq, ISSUED, commitment(proof.salt, proof.payload), proof.meta)
    root = root_from_inclusion(proof.index, proof.size, leaf_hash(entry.encode()), proof.proof)
    return Checkpoint(proof.origin, proof.size, root).text()


def cosigned(proof: CertificateProof, witness: Cosigner) -> CertificateProof:
    """The proof with the witness's cosignature of its checkpoint, as the log would carry it."""
    signature = witness.cosign(checkpoint_text(proof), WITNESS_TIME)
    return replace(proof, signatures=(*proof.signatures, (signature.key_id, signature.signature)))


def _raw(body: bytes) -> str:
    """A fragment whose compressed body is given as is (for damage no encoder would make)."""
    return URL_MARKER + b42encode(body)


def _body_of(fragment: str) -> bytes:
    return zlib.decompress(b42decode(fragment[len(URL_MARKER) :]))


def build(link: str, log_key: Ed25519Signer, witness: Cosigner) -> list[Item]:
    """Every item, from a real certificate's link, the log's own key (to sign what the log would not) and
    the trusted witness's key."""
    rng = random.Random(14)
    original = decode(link)
    good = cosigned(original, witness)
    valid = encode_fragment(good)
    log_id, log_signature = good.signatures[0]
    witness_id, witness_signature = good.signatures[-1]
    other_witness = Cosigner.generate("witness.test/other")
    impostor = Ed25519Signer.generate(original.origin)
    text = checkpoint_text(good)
    elsewhere = replace(original, origin="elsewhere.example/ledger")
    body = _body_of(valid)
    record = good.payload
    edited = record.replace(b'"status":"valid"', b'"status":"VALID"')
    assert edited != record

    def signed(proof: CertificateProof, signatures: list[tuple[int, bytes]]) -> str:
        return encode_fragment(replace(proof, signatures=tuple(signatures)))

    def fragment(**changes: object) -> str:
        return encode_fragment(replace(good, **changes))  # type: ignore[arg-type]

    items = [
        Item("genuine, cosigned", valid, "valid"),
        Item(
            "genuine, with an extra unknown signature",
            signed(good, [*good.signatures, (0xDEADBEEF, rng.randbytes(64))]),
            "valid",
        ),
        Item("no witness cosignature", encode_fragment(original), "invalid"),
        Item(
            "cosigned by a witness nobody trusts",
            encode_fragment(cosigned(original, other_witness)),
            "invalid",
        ),
        Item(
            "witness signature altered",
            signed(good, [(log_id, log_signature), (witness_id, _flip(witness_signature, 20))]),
            "invalid",
        ),
        Item(
            "witness timestamp altered",
            signed(good, [(log_id, log_signature), (witness_id, _flip(witness_signature, 7))]),
            "invalid",
        ),
        Item(
            "witness signature cut short",
            signed(good, [(log_id, log_signature), (witness_id, witness_signature[:64])]),
            "invalid",
        ),
        Item("record edited (status)", fragment(payload=edited), "invalid"),
        Item("record: one byte flipped", fragment(payload=_flip(record, len(record) // 3)), "invalid"),
        Item("record is not JSON", fragment(payload=b"not json at all"), "invalid"),
        Item("record is a JSON list", fragment(payload=b"[1, 2, 3]"), "invalid"),
        Item("record is not UTF-8", fragment(payload=b'{"kind": "\xff"}'), "invalid"),
        Item("salt: one byte flipped", fragment(salt=_flip(good.salt, 3)), "invalid"),
        Item("meta hash: one byte flipped", fragment(meta=_flip(good.meta, 30)), "invalid"),
        Item(
            "proof: one byte flipped", fragment(proof=(_flip(good.proof[0], 0), *good.proof[1:])), "invalid"
        ),
        Item("proof: a hash missing", fragment(proof=good.proof[:-1]), "invalid"),
        Item("proof: a hash too many", fragment(proof=(*good.proof, rng.randbytes(32))), "invalid"),
        Item("proof: hashes swapped", fragment(proof=tuple(reversed(good.proof))), "invalid"),
        Item("wrong leaf index", fragment(index=good.index - 1), "invalid"),
        Item("wrong tree size", fragment(size=good.size + 1), "invalid"),
        Item("leaf index outside the tree", fragment(index=good.size), "invalid"),
        Item(
            "log signature altered",
            signed(good, [(log_id, _flip(log_signature, 10)), (witness_id, witness_signature)]),
            "invalid",
        ),
        Item(
            "signed by an unknown key with the log's name",
            signed(good, [(impostor.key_id, impostor.sign(text)), (witness_id, witness_signature)]),
            "invalid",
        ),
        Item(
            "another origin, signed by the log's own key",
            signed(elsewhere, [(log_key.key_id, log_key.sign(checkpoint_text(elsewhere)))]),
            "invalid",
        ),
        Item("no signatures at all", signed(good, []), "invalid"),
        Item("empty record", fragment(payload=b""), "invalid"),
        Item("link cut short", valid[: len(valid) // 2], "invalid"),
        Item("link cut by one character", valid[:-1], "invalid"),
        Item("bad base42: a lowercase letter", valid[:40] + "a" + valid[41:], "invalid"),
        Item("bad base42: a group above two bytes", valid + ":::", "invalid"),
        Item("bad base42: a percent sign", valid[:40] + "%" + valid[41:], "invalid"),
        Item("nothing after the marker", URL_MARKER, "invalid"),
        Item("not compressed", _raw(body), "invalid"),
        Item("compressed, then junk after it", _raw(zlib.compress(body) + b"junk"), "invalid"),
        Item("compressed, truncated", _raw(zlib.compress(body)[:-6]), "invalid"),
        Item("inflates far beyond a certificate", _raw(zlib.compress(b"\x01" * 300_000)), "invalid"),
        Item("payload version 2", _raw(zlib.compress(b"\x02" + body[1:])), "invalid"),
        Item("body cut inside the salt", _raw(zlib.compress(body[:40])), "invalid"),
        Item("random bytes", _raw(zlib.compress(rng.randbytes(700))), "invalid"),
        Item("another marker", "JG9U:" + valid[len(URL_MARKER) :], "invalid"),
    ]
    return items
