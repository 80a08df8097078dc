"""Packs encrypted to a recipient with age (pyrage), and opened with the recipient's identity."""

from __future__ import annotations

from pathlib import Path

import pytest

from jaga.errors import InvalidInput
from jaga.evidence.encryption import decrypt_with, encrypt_to, is_encrypted

pyrage = pytest.importorskip("pyrage", reason="pyrage (age) is an optional dependency: pip install pyrage")


def _identity(folder: Path) -> tuple[str, Path]:
    identity = pyrage.x25519.Identity.generate()
    path = folder / "court.key"
    path.write_text(f"# created: for a test\n{identity}\n", encoding="ascii")
    return str(identity.to_public()), path


def test_a_pack_encrypted_to_two_recipients_opens_with_either(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    first, first_key = _identity(tmp_path / "a")
    second, second_key = _identity(tmp_path)
    sealed = encrypt_to(b"PK\x03\x04 the pack", [first, second])
    assert is_encrypted(sealed) and b"the pack" not in sealed
    assert decrypt_with(sealed, first_key) == decrypt_with(sealed, second_key) == b"PK\x03\x04 the pack"


def test_another_identity_a_bad_recipient_and_an_altered_file_are_refused(tmp_path: Path) -> None:
    recipient, _ = _identity(tmp_path)
    (tmp_path / "other").mkdir()
    _, stranger = _identity(tmp_path / "other")
    sealed = encrypt_to(b"the pack", [recipient])
    with pytest.raises(InvalidInput, match="not encrypted to the given identity"):
        decrypt_with(sealed, stranger)
    with pytest.raises(InvalidInput, match="recipient 2 is not an age X25519 public key"):
        encrypt_to(b"the pack", [recipient, "age1notakey"])
    (tmp_path / "empty.key").write_text("# nothing here\n", encoding="ascii")
    with pytest.raises(InvalidInput, match="holds no age identity"):
        decrypt_with(sealed, tmp_path / "empty.key")
