"""What every command shares: options that take a key or a file holding it, and terminal output."""

from __future__ import annotations

from pathlib import Path

import pytest

from jaga.ledger import Ed25519Signer
from tests.cli_helpers import jaga

NO_DATABASE = "sqlite:////nonexistent/jaga.db"  # none of these commands may need one


def _commands(tmp_path: Path, key: str) -> dict[str, list[str]]:
    log = Ed25519Signer.generate("jaga.local/ledger").verifier().vkey()
    witness = tmp_path / "witness"
    assert (
        jaga(NO_DATABASE, "witness", "init", "--name", "w.example/w1", "--dir", str(witness)).exit_code == 0
    )
    return {
        "--vkey": ["verify", "JG1:anything", "--vkey", key],
        "--witness-vkey": ["verify", "JG1:anything", "--vkey", log, "--witness-vkey", key],
        "--log-vkey": [
            "witness",
            "cosign",
            "--dir",
            str(witness),
            "--source",
            str(tmp_path),
            "--log-vkey",
            key,
        ],
        "--vkey ": ["ledger", "audit", "--vkey", key],
    }


@pytest.mark.parametrize("key", ["data/demo/keys/ledger.vkey", "ledger.vkey", "keys/log.pub"])
def test_a_missing_key_file_is_named_not_parsed_as_a_key(tmp_path: Path, key: str) -> None:
    for option, command in _commands(tmp_path, key).items():
        result = jaga(NO_DATABASE, *command, data_dir=tmp_path)
        assert result.exit_code == 3, (command, result.output)
        assert f"{option.strip()}: no such file: {key}" in result.stderr, result.stderr
        assert "'+'-separated" not in result.output


def test_a_key_is_read_from_a_file_or_given_itself_and_a_bad_one_is_explained(tmp_path: Path) -> None:
    vkey = Ed25519Signer.generate("jaga.local/ledger").verifier().vkey()
    (tmp_path / "ledger.vkey").write_text(vkey + "\n")
    (tmp_path / "garbage.vkey").write_text("not a key\n")
    for value in (str(tmp_path / "ledger.vkey"), vkey):  # both reach the payload check, past the key
        result = jaga(NO_DATABASE, "verify", "JG1:anything", "--vkey", value, data_dir=tmp_path)
        assert "--vkey" not in result.stderr, result.stderr
    bad = jaga(NO_DATABASE, "verify", "JG1:x", "--vkey", str(tmp_path / "garbage.vkey"), data_dir=tmp_path)
    assert bad.exit_code == 3 and f"--vkey: {tmp_path / 'garbage.vkey'}: " in bad.stderr
    assert "'+'-separated" in bad.stderr
    typo = jaga(NO_DATABASE, "verify", "JG1:x", "--vkey", "jaga.local/ledger+abc", data_dir=tmp_path)
    assert typo.exit_code == 3 and "no such file" not in typo.stderr  # a key (it has '+'), mistyped
    folder = jaga(NO_DATABASE, "verify", "JG1:x", "--vkey", str(tmp_path), data_dir=tmp_path)
    assert folder.exit_code == 3 and "is a folder" in folder.stderr


def test_add_cosignature_names_a_missing_note_file(tmp_path: Path) -> None:
    result = jaga(NO_DATABASE, "ledger", "add-cosignature", str(tmp_path / "none.txt"), data_dir=tmp_path)
    assert result.exit_code == 2 and "does not exist" in result.output


def test_a_bad_configured_witness_key_names_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = Ed25519Signer.generate("jaga.local/ledger").verifier().vkey()
    monkeypatch.setenv("JAGA_WITNESS_VKEYS", '["witness/keys/w1.vkey"]')
    result = jaga(NO_DATABASE, "verify", "JG1:x", "--vkey", log, data_dir=tmp_path)
    assert result.exit_code == 3 and "JAGA_WITNESS_VKEYS: no such file: witness/keys/w1.vkey" in result.stderr
