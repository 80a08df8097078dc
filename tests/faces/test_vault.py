"""Photos at rest: ciphertext under a 0600 key, bound to the photo's ref, and refused with another key."""

from __future__ import annotations

from pathlib import Path

import pytest

from jaga.errors import NotFound, Unavailable
from jaga.faces.vault import PhotoVault, load_photo_key


def test_a_photo_is_sealed_to_its_ref_and_key(tmp_path: Path) -> None:
    vault = PhotoVault.open(tmp_path / "data", tmp_path / "keys")
    with pytest.raises(NotFound):
        vault.get("PH-NONE")
    assert not (tmp_path / "keys").exists()  # nothing stored or read: no key made
    assert (tmp_path / "data" / "photos").exists() is False  # nor the folder
    vault.put("PH-FIRST", b"first")
    assert (tmp_path / "keys" / "photos.key").stat().st_mode & 0o777 == 0o600
    image = b"\xff\xd8\xff\xe0 a child's photo"
    vault.put("PH-AAAA", image)
    assert (tmp_path / "data" / "photos").stat().st_mode & 0o777 == 0o700
    sealed = (tmp_path / "data" / "photos" / "PH-AAAA.photo").read_bytes()
    assert b"child" not in sealed and len(sealed) == 12 + len(image) + 16
    assert vault.get("PH-AAAA") == image
    # A file copied under another photo's name does not open: the ref is authenticated with it.
    (tmp_path / "data" / "photos" / "PH-BBBB.photo").write_bytes(sealed)
    with pytest.raises(Unavailable, match="does not decrypt"):
        vault.get("PH-BBBB")
    other = PhotoVault.open(tmp_path / "data", tmp_path / "other-keys")
    with pytest.raises(Unavailable, match="does not decrypt"):
        other.get("PH-AAAA")
    with pytest.raises(NotFound):
        vault.get("PH-CCCC")
    with pytest.raises(ValueError):
        vault.put("../escape", image)
    assert load_photo_key(tmp_path / "keys") == load_photo_key(tmp_path / "keys")
    (tmp_path / "keys" / "photos.key").write_bytes(b"short")
    with pytest.raises(Unavailable, match="damaged"):
        load_photo_key(tmp_path / "keys")
