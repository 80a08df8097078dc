"""Reading and rewriting evidence packs in tests: a tamperer who knows the format."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

from jaga.evidence import PackReport
from jaga.evidence.verify import canonical_json, sha256_hex


def files_of(pack: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def rewritten(
    pack: bytes, name: str, change: Callable[[Any], Any], *, fix_manifest: bool = True, as_json: bool = True
) -> bytes:
    """The pack with file `name` changed; with `fix_manifest`, the manifest's hashes updated to match (a
    tamperer who knows the format), so that the deeper checks must catch it."""
    files = files_of(pack)
    files[name] = canonical_json(change(json.loads(files[name]))) if as_json else change(files[name])
    if fix_manifest:
        manifest = json.loads(files["manifest.json"])
        for entry in manifest["files"]:
            entry["sha256"] = sha256_hex(files[entry["name"]])
        files["manifest.json"] = canonical_json(manifest)
    return zipped(files)


def failures(report: PackReport) -> str:
    assert not report.ok
    return "\n".join(report.failures)
