"""Ledger speed, against pymerkle on the same entries in the same run (roots must be equal).

Measures: append throughput; inclusion and consistency proof generation; proof verification; and the
full offline check of a certificate payload (decode, commitment, inclusion, log signature, cosignature).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from rich.table import Table

from jaga.bench.certificates import PUBLIC_ADDRESS, BenchCertificate, qr_size_table
from jaga.bench.references import reference as reference_library
from jaga.certificates.verify import verify_payload
from jaga.cli_support import make_console
from jaga.ledger import (
    Cosigner,
    Ed25519Signer,
    MemoryTree,
    consistency_proof,
    inclusion_proof,
    verify_consistency,
    verify_inclusion,
)
from jaga.ledger.note import Verifier

console = make_console()


def _entries(count: int) -> list[bytes]:
    # Entries shaped like jaga's: "jaga/event/v1", seq, kind, two hex hashes (about 170 bytes).
    return [
        f"jaga/event/v1\n{i + 1}\nbirth.recorded\n{i:064x}\n{(i * 7919) % (1 << 64):064x}\n".encode()
        for i in range(count)
    ]


def _per_call(action: Callable[[], object], repeat: int) -> float:
    """Median seconds per call over `repeat` calls."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _qr_reader(payload: str) -> Callable[[], object]:
    """Reading the printed code back: the verify link, in its byte + alphanumeric segments."""
    import io

    import zxingcpp
    from PIL import Image

    from jaga.certificates.payload import decode, qr_segments
    from jaga.certificates.pdf import make_qr

    segments = qr_segments(PUBLIC_ADDRESS, decode(payload))
    payload = "".join(segments)
    buffer = io.BytesIO()
    make_qr(segments).save(buffer, kind="png", scale=5, border=4)
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    image.load()

    def read() -> object:
        found = zxingcpp.read_barcodes(image)
        if not found or found[0].text != payload:
            raise AssertionError("the QR code did not read back")
        return found

    return read


def run(*, leaves: int, samples: int = 200) -> dict[str, float]:
    InmemoryTree = reference_library("pymerkle", "pymerkle").InmemoryTree

    entries = _entries(leaves)
    rng = random.Random(1)
    bench_certificate = BenchCertificate.at(leaves // 2)
    entries[bench_certificate.index] = bench_certificate.entry()

    started = time.perf_counter()
    tree = MemoryTree()
    tree.extend(entries)
    ours_append = time.perf_counter() - started

    reference_leaves = min(leaves, 1_000_000)  # beyond a million pymerkle takes minutes; rates compared
    started = time.perf_counter()
    reference = InmemoryTree(algorithm="sha256")
    for entry in entries[:reference_leaves]:
        reference.append_entry(entry)
    theirs_append = time.perf_counter() - started
    prefix = MemoryTree()
    prefix.extend(entries[:reference_leaves])
    if prefix.root() != reference.get_root():
        raise AssertionError("jaga and pymerkle disagree on the root")

    size, root = tree.size, tree.root()
    indices = [rng.randrange(size) for _ in range(samples)]
    proofs = {i: inclusion_proof(tree, i, size) for i in indices}
    ours_prove = _per_call(lambda: inclusion_proof(tree, rng.randrange(size), size), samples)
    probe = indices[0]
    ours_verify = _per_call(
        lambda: verify_inclusion(probe, size, tree.leaf_hash(probe), proofs[probe], root), samples
    )
    ref_size = reference.get_size()
    theirs_prove = _per_call(
        lambda: reference.prove_inclusion(rng.randrange(1, ref_size + 1)), min(samples, 50)
    )
    old = size // 3
    ours_consistency = _per_call(lambda: consistency_proof(tree, old, size), samples)
    old_root = MemoryTree()
    old_root.extend(entries[:old])
    proof = consistency_proof(tree, old, size)
    ours_consistency_verify = _per_call(
        lambda: verify_consistency(old, size, proof, old_root.root(), root), samples
    )

    # A certificate's offline check, end to end: decode the QR payload, recompute the commitment and the
    # leaf, the root from the inclusion proof, and check the log signature and a witness cosignature.
    signer, witness = Ed25519Signer.generate("bench.jaga/ledger"), Cosigner.generate("bench.jaga/witness")
    payload = bench_certificate.qr_payload(tree, signer, witness)
    trusted: list[Verifier] = [signer.verifier()]
    witnesses: list[Verifier] = [witness.verifier()]
    if not verify_payload(payload, trusted, witnesses).ok:
        raise AssertionError("the benchmark certificate does not verify")
    certificate = _per_call(lambda: verify_payload(payload, trusted, witnesses), samples)
    qr_read = _per_call(_qr_reader(payload), 10)

    results = {
        "leaves": leaves,
        "append_per_s": leaves / ours_append,
        "pymerkle_append_per_s": reference_leaves / theirs_append,
        "inclusion_prove_ms": ours_prove * 1000,
        "pymerkle_inclusion_prove_ms": theirs_prove * 1000,
        "inclusion_verify_ms": ours_verify * 1000,
        "consistency_prove_ms": ours_consistency * 1000,
        "consistency_verify_ms": ours_consistency_verify * 1000,
        "certificate_verify_ms": certificate * 1000,
        "certificate_qr_read_ms": qr_read * 1000,
        "certificate_chars": len(payload),
    }
    _print(results, reference_leaves)
    console.print(qr_size_table())
    return results


def _print(r: dict[str, float], reference_leaves: int) -> None:
    table = Table("measure", "jaga", "pymerkle 7", "ratio")
    table.add_row(
        "append (leaves/s)",
        f"{r['append_per_s']:,.0f}",
        f"{r['pymerkle_append_per_s']:,.0f}",
        f"{r['append_per_s'] / r['pymerkle_append_per_s']:.1f}x",
    )
    table.add_row(
        "inclusion proof (ms)",
        f"{r['inclusion_prove_ms']:.3f}",
        f"{r['pymerkle_inclusion_prove_ms']:.3f}",
        f"{r['pymerkle_inclusion_prove_ms'] / r['inclusion_prove_ms']:.1f}x",
    )
    table.add_row("inclusion verify (ms)", f"{r['inclusion_verify_ms']:.3f}", "", "")
    table.add_row("consistency proof (ms)", f"{r['consistency_prove_ms']:.3f}", "", "")
    table.add_row("consistency verify (ms)", f"{r['consistency_verify_ms']:.3f}", "", "")
    table.add_row(
        f"certificate verify, offline (ms; {r['certificate_chars']:,.0f}-char QR payload)",
        f"{r['certificate_verify_ms']:.3f}",
        "",
        "",
    )
    table.add_row(
        "reading the QR code from a 300 dpi image (ms)", f"{r['certificate_qr_read_ms']:.1f}", "", ""
    )
    console.print(table)
    console.print(
        f"{r['leaves']:,.0f} leaves for jaga; pymerkle measured on the first {reference_leaves:,} "
        "(same entries, roots compared equal); medians of repeated calls"
    )
