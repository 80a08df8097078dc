"""Files jaga writes appear whole or not at all, private unless meant for the public."""

from __future__ import annotations

from pathlib import Path

import pytest

from jaga.files import PUBLIC_FILE, atomic_binary, atomic_text, atomic_write, atomic_write_bytes


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_a_stream_interrupted_by_an_exception_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_text(target, newline="") as handle:
        handle.write("new,half\n")
        raise RuntimeError("bug")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    with pytest.raises(KeyboardInterrupt), atomic_binary(tmp_path / "new.pdf") as raw:
        raw.write(b"%PDF-")
        raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_files_are_private_and_their_new_folders_too_unless_public(tmp_path: Path) -> None:
    atomic_write(tmp_path / "a" / "b" / "report.html", "<html>")
    assert _mode(tmp_path / "a" / "b" / "report.html") == 0o600
    assert _mode(tmp_path / "a") == 0o700 and _mode(tmp_path / "a" / "b") == 0o700
    atomic_write_bytes(tmp_path / "tiles" / "tile" / "0" / "000", b"\0" * 32, mode=PUBLIC_FILE)
    assert _mode(tmp_path / "tiles" / "tile" / "0" / "000") == 0o644
    assert _mode(tmp_path / "tiles") & 0o055 == 0o055  # a web server may read the static copy
    with atomic_text(tmp_path / "a" / "export.csv") as handle:
        handle.write("ref\n")
    assert _mode(tmp_path / "a" / "export.csv") == 0o600
