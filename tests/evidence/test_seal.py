"""The seal (the log's proof that the registry made a pack), the witness policy on `jaga evidence verify`,
and cosignatures verified when packing: through the API and the CLI, on SQLite and PostgreSQL, with a
tampered receipt, another pack's receipt and the wrong checkpoint each refused by name."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from jaga.app import create_app
from jaga.evidence import seal_pack, verify_pack
from jaga.evidence.verify import canonical_json, sha256_hex
from jaga.ledger import Cosigner, Ed25519Signer, parse_checkpoint_text, parse_note
from jaga.sequencer import load_keys
from jaga.settings import Settings
from tests.cli_helpers import jaga
from tests.conftest import fast_token_hasher
from tests.evidence.conftest import REASON, Registry
from tests.evidence.packs import failures, files_of, zipped
from tests.synthetic_registry import PIPELINE_ORIGIN


@dataclass
class Lifecycle:
    fresh: bytes  # packed here, its packing event pending at first
    before_integration: Any  # the seal API's answers at each stage
    before_witnessing: Any
    receipt: dict[str, Any]  # the API's receipt once witnessed
    sealed: bytes  # `fresh` sealed with it (offline, by `jaga evidence seal --receipt`)
    sealed_by_cli: bytes  # the fixture's witnessed pack, sealed by `jaga evidence seal` (the database)
    cli_output: str


def _ask(registry: Registry, pack: bytes, account: str = "police") -> Any:
    manifest = json.loads(files_of(pack)["manifest.json"])
    body = {
        "manifest_sha256": sha256_hex(files_of(pack)["manifest.json"]),
        "from_size": max(c["size"] for c in manifest["checkpoints"]),
    }
    return registry.client(account).post("/api/v1/evidence/seals", json=body)


def _env(registry: Registry) -> dict[str, str]:
    return {"JAGA_WITNESS_VKEYS": json.dumps([registry.witness.verifier().vkey()])}


@pytest.fixture(scope="module")
def lifecycle(registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> Lifecycle:
    folder = tmp_path_factory.mktemp("seal")
    fresh = registry.pack()
    before_integration = _ask(registry, fresh)
    registry.integrate()
    before_witnessing = _ask(registry, fresh)
    registry.cosign_latest(integrate_first=True)
    answer = _ask(registry, fresh)
    assert answer.status_code == 200, answer.text
    (folder / "fresh.zip").write_bytes(fresh)
    (folder / "receipt.json").write_text(answer.text)
    offline = jaga(  # no database, no token: the receipt alone
        "sqlite:///nowhere.db",
        "evidence",
        "seal",
        str(folder / "fresh.zip"),
        "--receipt",
        str(folder / "receipt.json"),
        "--out",
        str(folder / "fresh-sealed.zip"),
    )
    assert offline.exit_code == 0, offline.output
    (folder / "witnessed.zip").write_bytes(registry.witnessed)
    by_cli = jaga(
        registry.url,
        "evidence",
        "seal",
        str(folder / "witnessed.zip"),
        "--out",
        str(folder / "witnessed-sealed.zip"),
        token=registry.tokens["court"],
        env=_env(registry),
    )
    assert by_cli.exit_code == 0, by_cli.output
    return Lifecycle(
        fresh,
        before_integration,
        before_witnessing,
        answer.json(),
        (folder / "fresh-sealed.zip").read_bytes(),
        (folder / "witnessed-sealed.zip").read_bytes(),
        by_cli.output,
    )


# --- sealing ---------------------------------------------------------------------------------------


def test_a_pack_carries_its_packing_event_and_says_it_is_unsealed(registry: Registry) -> None:
    files = files_of(registry.witnessed)
    packing = json.loads(files["packing.json"])
    assert packing["kind"] == "evidence_pack.packed" and packing["aggregate"] == "evidence_packs"
    assert packing["payload"]["manifest_sha256"] == sha256_hex(files["manifest.json"])
    assert registry.child not in files["packing.json"].decode()  # the public log's event: no personal data
    report = verify_pack(registry.witnessed, registry.log_keys)
    assert report.ok and not report.sealed
    seal = next(c for c in report.checks if c.name == "seal")
    assert seal.ok is None and seal.detail.startswith("UNSEALED")


def test_a_seal_is_refused_until_the_event_is_in_the_log_and_witnessed(lifecycle: Lifecycle) -> None:
    early = lifecycle.before_integration
    assert early.status_code == 409 and early.json()["type"].endswith("/evidence-not-sealable")
    assert "is not in the log yet" in early.json()["detail"]
    unwitnessed = lifecycle.before_witnessing
    assert unwitnessed.status_code == 409
    assert "no checkpoint holding the packing event" in unwitnessed.json()["detail"]


def test_a_sealed_pack_proves_its_existence_and_keeps_its_manifest(
    registry: Registry, lifecycle: Lifecycle
) -> None:
    for original, sealed in (
        (lifecycle.fresh, lifecycle.sealed),
        (registry.witnessed, lifecycle.sealed_by_cli),
    ):
        before, after = files_of(original), files_of(sealed)
        assert after["manifest.json"] == before["manifest.json"]  # the hash the log holds is unchanged
        assert set(after) - set(before) == {"seal.json"}
        report = verify_pack(sealed, registry.log_keys, [registry.witness.verifier()])
        assert report.ok and report.sealed, report.failures
        names = {c.name: c for c in report.checks}
        seq = json.loads(after["packing.json"])["seq"]
        assert names[f"seal: event {seq}"].ok
        size = json.loads(after["seal.json"])["checkpoint"].split("\n")[1]
        assert "cosigned by witness witness.test/w1" in names[f"seal checkpoint {size}"].detail
        assert any(n.startswith("seal consistency") and c.ok for n, c in names.items())
        assert all(c.ok for c in report.checks if c.name.endswith(".json") and "SHA-256" in c.detail)
    assert "sealed, packing event" in lifecycle.cli_output and "witness.test/w1" in lifecycle.cli_output


def test_the_seal_api_checks_role_and_input(registry: Registry, lifecycle: Lifecycle) -> None:
    assert _ask(registry, lifecycle.fresh, "registrar").status_code == 403
    court = registry.client("court")
    unknown = court.post("/api/v1/evidence/seals", json={"manifest_sha256": "ab" * 32, "from_size": 1})
    assert unknown.status_code == 404 and "made no evidence pack" in unknown.json()["detail"]
    bad = court.post("/api/v1/evidence/seals", json={"manifest_sha256": "XY", "from_size": 1})
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["manifest_sha256"]
    body = {"manifest_sha256": lifecycle.receipt["seal"]["manifest_sha256"], "from_size": 10**9}
    beyond = court.post("/api/v1/evidence/seals", json=body)
    assert beyond.status_code == 422 and "from_size must be" in beyond.json()["detail"]


# --- tampering with the seal ------------------------------------------------------------------------


def _with(pack: bytes, **changed: bytes) -> bytes:
    files = files_of(pack)
    files.update({f"{name}.json": data for name, data in changed.items()})
    return zipped(files)


def _seal_of(pack: bytes) -> dict[str, Any]:
    return dict(json.loads(files_of(pack)["seal.json"]))


def test_an_altered_receipt_is_refused(registry: Registry, lifecycle: Lifecycle) -> None:
    seal = _seal_of(lifecycle.sealed)
    seal["inclusion"][0] = "00" * 32
    found = failures(verify_pack(_with(lifecycle.sealed, seal=canonical_json(seal)), registry.log_keys))
    assert "the packing event is not proven in checkpoint" in found
    seal = _seal_of(lifecycle.sealed)
    seal["consistency"]["hashes"][-1] = "11" * 32
    found = failures(verify_pack(_with(lifecycle.sealed, seal=canonical_json(seal)), registry.log_keys))
    assert "seal consistency" in found and "does not verify" in found


def test_the_receipt_of_another_pack_is_refused(registry: Registry, lifecycle: Lifecycle) -> None:
    other = files_of(lifecycle.sealed_by_cli)
    # its receipt alone: it names another manifest
    found = failures(verify_pack(_with(lifecycle.sealed, seal=other["seal.json"]), registry.log_keys))
    assert "seal.json: the receipt of another pack" in found
    # its receipt and its packing event together: the event names another manifest
    both = _with(lifecycle.sealed, seal=other["seal.json"], packing=other["packing.json"])
    assert "packing event of another pack" in failures(verify_pack(both, registry.log_keys))
    # a receipt edited to name this pack still proves the other pack's event, not this one's
    seal = json.loads(other["seal.json"])
    seal["manifest_sha256"] = _seal_of(lifecycle.sealed)["manifest_sha256"]
    seal["event_seq"] = _seal_of(lifecycle.sealed)["event_seq"]
    edited = _with(lifecycle.sealed, seal=canonical_json(seal))
    assert "the packing event is not proven in checkpoint" in failures(verify_pack(edited, registry.log_keys))


def test_a_receipt_with_the_wrong_checkpoint_is_refused(registry: Registry, lifecycle: Lifecycle) -> None:
    files = files_of(lifecycle.sealed)
    manifest = json.loads(files["manifest.json"])
    own = files[manifest["checkpoints"][-1]["file"]].decode()  # the pack's own: older than its event
    seal = _seal_of(lifecycle.sealed)
    seal["checkpoint"] = own
    found = failures(verify_pack(_with(lifecycle.sealed, seal=canonical_json(seal)), registry.log_keys))
    assert "the packing event is not proven in checkpoint" in found
    forged = parse_checkpoint_text(parse_note(_seal_of(lifecycle.sealed)["checkpoint"]).text)
    forger = Ed25519Signer.generate(load_keys(registry.keys).signer.name)
    seal["checkpoint"] = forged.sign(forger).format()
    found = failures(verify_pack(_with(lifecycle.sealed, seal=canonical_json(seal)), registry.log_keys))
    assert "seal.json: its checkpoint is not one signed by the given log key" in found
    seal = _seal_of(lifecycle.sealed)
    seal["consistency"]["old_size"] = 1
    found = failures(verify_pack(_with(lifecycle.sealed, seal=canonical_json(seal)), registry.log_keys))
    assert "the receipt proves from size 1, not the pack's" in found


def test_a_seal_without_its_packing_event_and_a_foreign_witness_are_refused(
    registry: Registry, lifecycle: Lifecycle
) -> None:
    files = files_of(lifecycle.sealed)
    del files["packing.json"]
    assert "a seal needs this pack's packing event" in failures(verify_pack(zipped(files), registry.log_keys))
    stranger = Cosigner.generate("witness.test/w1").verifier()
    found = failures(verify_pack(lifecycle.sealed, registry.log_keys, [stranger]))
    assert "seal checkpoint" in found and "no given witness key's cosignature verifies" in found


def test_a_pack_without_its_packing_event_verifies_unsealed_and_can_be_sealed(
    registry: Registry, lifecycle: Lifecycle
) -> None:
    files = files_of(lifecycle.fresh)
    del files["packing.json"]  # as packs made before they carried it
    old = zipped(files)
    report = verify_pack(old, registry.log_keys)
    assert report.ok and not report.sealed
    assert any(c.name == "packing.json" and c.ok is None and "absent" in c.detail for c in report.checks)
    sealed = seal_pack(old, lifecycle.receipt["packing"], lifecycle.receipt["seal"])  # the receipt brings it
    report = verify_pack(sealed, registry.log_keys, [registry.witness.verifier()])
    assert report.ok and report.sealed, report.failures


def test_the_cli_says_sealed_or_unsealed_and_can_require_the_seal(
    registry: Registry, lifecycle: Lifecycle, tmp_path: Path
) -> None:
    vkey = tmp_path / "ledger.vkey"
    vkey.write_text(load_keys(registry.keys).vkey + "\n")
    sealed, unsealed = tmp_path / "sealed.zip", tmp_path / "unsealed.zip"
    sealed.write_bytes(lifecycle.sealed)
    unsealed.write_bytes(lifecycle.fresh)
    ok = jaga(registry.url, "evidence", "verify", str(sealed), "--vkey", str(vkey), "--require-seal")
    assert ok.exit_code == 0 and "the pack verifies and is sealed" in ok.output
    warned = jaga(registry.url, "evidence", "verify", str(unsealed), "--vkey", str(vkey))
    assert warned.exit_code == 0 and "UNSEALED" in warned.output and "is sealed" not in warned.output
    required = jaga(registry.url, "evidence", "verify", str(unsealed), "--vkey", str(vkey), "--require-seal")
    assert required.exit_code == 1 and "the pack is not sealed" in required.output
    other = tmp_path / "other.zip"
    other.write_bytes(registry.unwitnessed)
    receipt = tmp_path / "receipt.json"
    receipt.write_text(json.dumps(lifecycle.receipt))
    refused = jaga(
        registry.url, "evidence", "seal", str(other), "--receipt", str(receipt), "--out", str(tmp_path / "x")
    )
    assert refused.exit_code == 3 and "the receipt is of another pack" in refused.output


# --- the witness policy ----------------------------------------------------------------------------


def _policy(folder: Path, name: str, witness: Cosigner, window: str) -> Path:
    path = folder / name
    path.write_text(f"{window}\nwitness w1 {witness.verifier().vkey()}\nquorum w1\n", encoding="utf-8")
    return path


def test_verify_judges_the_checkpoints_by_a_policy_in_force_when_cosigned(
    registry: Registry, lifecycle: Lifecycle, tmp_path: Path
) -> None:
    vkey = tmp_path / "ledger.vkey"
    vkey.write_text(load_keys(registry.keys).vkey + "\n")
    sealed, unwitnessed = tmp_path / "sealed.zip", tmp_path / "unwitnessed.zip"
    sealed.write_bytes(lifecycle.sealed_by_cli)
    unwitnessed.write_bytes(registry.unwitnessed)
    in_force = _policy(tmp_path, "now.policy", registry.witness, "# valid-from 2026-01-01T00:00:00Z")
    met = jaga(
        registry.url, "evidence", "verify", str(sealed), "--vkey", str(vkey), "--policy", str(in_force)
    )
    assert met.exit_code == 0, met.output
    assert "quorum: a cosignature by witness w1: met (cosigned by w1; policy now.policy)" in met.output
    assert "in force from 2026-01-01T00:00:00+00:00 until open-ended" in met.output
    # the unwitnessed pack's events are proven to a checkpoint no witness cosigned: the policy fails it
    bare = jaga(
        registry.url, "evidence", "verify", str(unwitnessed), "--vkey", str(vkey), "--policy", str(in_force)
    )
    assert bare.exit_code == 1 and "NOT met" in bare.output
    # a policy replaced before the cosignature was made does not vouch for it; the one then in force does
    folder = tmp_path / "policies"
    folder.mkdir()
    stranger = Cosigner.generate("witness.test/w1")
    _policy(folder, "a.policy", registry.witness, "# valid-until 2026-06-01T00:00:00Z")
    _policy(folder, "b.policy", stranger, "# valid-from 2026-06-01T00:00:00Z")
    replaced = jaga(
        registry.url, "evidence", "verify", str(sealed), "--vkey", str(vkey), "--policy", str(folder)
    )
    assert replaced.exit_code == 1 and "NOT met (cosigned by none; policy b.policy)" in replaced.output


# --- cosignatures verified when packing ------------------------------------------------------------


def test_packing_names_the_witnesses_it_verified(registry: Registry) -> None:
    manifest = json.loads(files_of(registry.witnessed)["manifest.json"])
    first = manifest["checkpoints"][0]
    assert first["witnessed"] and first["witnesses"] == ["witness.test/w1"]
    assert "cosigned by witness witness.test/w1" in first["witness_check"]
    answer = registry.client("police").post(
        "/api/v1/evidence/packs", json={"person_ref": registry.child, "reason": REASON}
    )
    assert answer.headers["x-jaga-witnessed"] == "witness.test/w1"


def _server(registry: Registry, **settings: Any) -> TestClient:
    app = create_app(
        Settings(
            database_url=registry.url,
            environment="test",
            ledger_key_dir=registry.keys,
            ledger_origin=PIPELINE_ORIGIN,
            **settings,
        ),
        token_hasher=fast_token_hasher(),
    )
    headers = {"Authorization": f"Bearer {registry.tokens['police']}"}
    return TestClient(app, headers=headers, raise_server_exceptions=False)


def test_cosignatures_no_configured_witness_verifies_are_not_counted(registry: Registry) -> None:
    body = {"person_ref": registry.child, "reason": REASON}
    stranger = Cosigner.generate("witness.test/w1").verifier().vkey()
    other = _server(registry, witness_vkeys=[stranger])
    answer = other.post("/api/v1/evidence/packs", json=body)
    assert answer.status_code == 200 and answer.headers["x-jaga-witnessed"] == "no"
    manifest = json.loads(files_of(answer.content)["manifest.json"])
    assert manifest["unwitnessed"] is True and not any(c["witnessed"] for c in manifest["checkpoints"])
    refused = other.post("/api/v1/evidence/packs", json={**body, "require_witnessed": True})
    assert refused.status_code == 409 and "carries cosignatures that do not meet" in refused.json()["detail"]
    # a server that trusts no witness verifies nothing, and says so
    bare = _server(registry).post("/api/v1/evidence/packs", json={**body, "require_witnessed": True})
    assert bare.status_code == 409 and "the server has no witness keys or policy" in bare.json()["detail"]


def test_an_encrypted_pack_is_sealed_encrypted_never_in_the_clear(
    registry: Registry, lifecycle: Lifecycle, tmp_path: Path
) -> None:
    pyrage = pytest.importorskip(
        "pyrage", reason="pyrage (age) is an optional dependency: pip install pyrage"
    )
    from jaga.evidence.encryption import decrypt_with, encrypt_to

    identity = pyrage.x25519.Identity.generate()
    key = tmp_path / "court.key"
    key.write_text(f"{identity}\n", encoding="ascii")
    public = str(identity.to_public())
    locked = tmp_path / "pack.zip.age"
    locked.write_bytes(encrypt_to(lifecycle.fresh, [public]))
    receipt = tmp_path / "receipt.json"
    receipt.write_text(json.dumps(lifecycle.receipt))
    out = tmp_path / "sealed.zip.age"
    args = (
        "evidence",
        "seal",
        str(locked),
        "--receipt",
        str(receipt),
        "--identity",
        str(key),
        "--out",
        str(out),
    )
    clear = jaga(registry.url, *args)
    assert clear.exit_code == 3 and "give --recipient" in clear.output and not out.exists()
    sealed = jaga(registry.url, *args, "--recipient", public)
    assert sealed.exit_code == 0, sealed.output
    assert out.read_bytes().startswith(b"age-encryption.org/v1\n")
    report = verify_pack(decrypt_with(out.read_bytes(), key), registry.log_keys)
    assert report.ok and report.sealed, report.failures
