"""The witness, end to end against real logs: first sight, consistent growth, rollback, split view; and
its cosignatures landing on the log's checkpoint."""

from __future__ import annotations

from pathlib import Path

import pytest

from jaga.ledger import open_note, parse_vkey
from tests.cli_helpers import jaga
from tests.sequencer.helpers import fill_events


def _fresh_log(tmp_path: Path, name: str, keys: Path) -> str:
    url = f"sqlite:///{tmp_path / f'{name}.db'}"
    assert jaga(url, "db", "upgrade").exit_code == 0
    return url


def _grow_and_export(url: str, data: Path, events: int, static: Path) -> None:
    fill_events(url, events)
    assert jaga(url, "ledger", "integrate", data_dir=data).exit_code == 0
    assert jaga(url, "ledger", "export-tiles", str(static), data_dir=data).exit_code == 0


def _cosign(witness: Path, static: Path, vkey: str) -> tuple[int, str]:
    result = jaga(
        "sqlite://", "witness", "cosign", "--dir", str(witness), "--source", str(static), "--log-vkey", vkey
    )
    return result.exit_code, result.output


@pytest.fixture
def setting(tmp_path: Path) -> tuple[str, Path, Path, str, Path]:
    """A log with its key, an export folder, a witness; returns (url, data, static, log vkey, witness)."""
    data = tmp_path / "data"
    url = _fresh_log(tmp_path, "log", data / "keys")
    assert jaga(url, "ledger", "init", data_dir=data).exit_code == 0
    witness = tmp_path / "witness"
    created = jaga("sqlite://", "witness", "init", "--name", "witness.test/w1", "--dir", str(witness))
    assert created.exit_code == 0, created.output
    return url, data, tmp_path / "static", str(data / "keys" / "ledger.vkey"), witness


def test_the_witness_cosigns_a_log_that_only_grows(
    setting: tuple[str, Path, Path, str, Path], tmp_path: Path
) -> None:
    url, data, static, vkey, witness = setting
    witness_key = parse_vkey((witness / "witness.vkey").read_text().strip())
    log_key = parse_vkey(Path(vkey).read_text().strip())
    _grow_and_export(url, data, 300, static)
    code, output = _cosign(witness, static, vkey)
    assert code == 0, output
    assert "first sight" in output
    _grow_and_export(url, data, 700, static)
    code, output = _cosign(witness, static, vkey)
    assert code == 0, output
    assert "consistent with size 300" in output
    note_text = output[output.index("jaga.local/ledger\n") :]
    _, good = open_note(note_text, [log_key, witness_key])
    assert {v.name for v in good} == {"jaga.local/ledger", "witness.test/w1"}

    # The log takes the cosignature once the witness is configured.
    cosigned = tmp_path / "cosigned.txt"
    cosigned.write_text(note_text)
    env_witness = {"JAGA_WITNESS_VKEYS": f'["{witness_key.vkey()}"]'}
    from typer.testing import CliRunner

    from jaga.cli import app

    added = CliRunner().invoke(
        app,
        ["ledger", "add-cosignature", str(cosigned)],
        env={"JAGA_DATABASE_URL": url, "JAGA_DATA_DIR": str(data), **env_witness},
    )
    assert added.exit_code == 0, added.output
    assert "witness.test/w1" in added.output
    _, good = open_note(jaga(url, "ledger", "checkpoint", data_dir=data).output, [log_key, witness_key])
    assert len(good) == 2


def test_the_witness_refuses_a_rollback(setting: tuple[str, Path, Path, str, Path], tmp_path: Path) -> None:
    url, data, static, vkey, witness = setting
    _grow_and_export(url, data, 100, static)
    older = tmp_path / "older"
    import shutil

    shutil.copytree(static, older)
    _grow_and_export(url, data, 100, static)
    assert _cosign(witness, static, vkey)[0] == 0
    code, output = _cosign(witness, older, vkey)
    assert code == 1
    assert "already cosigned size" in output


def test_the_witness_refuses_and_reports_a_split_view(
    setting: tuple[str, Path, Path, str, Path], tmp_path: Path
) -> None:
    """The same key signs a second, different history (another database): the witness will not cosign it."""
    url, data, static, vkey, witness = setting
    _grow_and_export(url, data, 100, static)
    assert _cosign(witness, static, vkey)[0] == 0
    forked_url = _fresh_log(tmp_path, "fork", data / "keys")
    forked = tmp_path / "forked-static"
    _grow_and_export(forked_url, data, 400, forked)  # larger, so the key itself does not object
    code, output = _cosign(witness, forked, vkey)
    assert code == 1
    assert "does not extend the size-" in output
    evidence = list((witness / "evidence").iterdir())
    assert len(evidence) == 1
    assert evidence[0].read_text().count("jaga.local/ledger\n") == 2
    # And it keeps cosigning the honest log.
    _grow_and_export(url, data, 400, static)
    assert _cosign(witness, static, vkey)[0] == 0


def test_a_checkpoint_from_another_key_is_refused(
    setting: tuple[str, Path, Path, str, Path], tmp_path: Path
) -> None:
    url, data, static, _, witness = setting
    _grow_and_export(url, data, 10, static)
    from jaga.ledger import Ed25519Signer

    stranger = Ed25519Signer.generate("jaga.local/ledger").verifier().vkey()
    code, output = _cosign(witness, static, stranger)
    assert code == 1 and "does not verify" in output
    assert _cosign(witness, static, "garbage")[0] == 3
    assert (
        jaga(
            "sqlite://",
            "witness",
            "cosign",
            "--dir",
            str(tmp_path / "nobody"),
            "--source",
            str(static),
            "--log-vkey",
            stranger,
        ).exit_code
        == 7
    )


def test_a_witness_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    witness = tmp_path / "witness"
    assert (
        jaga("sqlite://", "witness", "init", "--name", "witness.test/w1", "--dir", str(witness)).exit_code
        == 0
    )
    assert (witness / "witness.key").stat().st_mode & 0o777 == 0o600
    (witness / "witness.key").chmod(0o640)
    result = jaga(
        "sqlite://", "witness", "cosign", "--dir", str(witness), "--source", str(tmp_path), "--log-vkey", "x"
    )
    assert result.exit_code == 7, result.output
    assert f"{witness / 'witness.key'} is readable by other users; chmod 600 it" in result.stderr
