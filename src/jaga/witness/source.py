"""Where a log's public files come from: a folder written by `jaga ledger export-tiles`, or a URL that
serves the same layout (a static host, or jaga's own `/ledger/`)."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from jaga.errors import NotFound, Unavailable
from jaga.ledger import HASH_SIZE, TILE_WIDTH, Tile, TileReader, decode_bundle, encode_bundle

USER_AGENT = "jaga-witness"
TIMEOUT_SECONDS = 20


class LogSource:
    def __init__(self, location: str) -> None:
        self.location = location.rstrip("/")
        self.remote = self.location.startswith(("http://", "https://"))

    def read(self, relative: str) -> bytes:
        if not self.remote:
            path = Path(self.location) / relative
            try:
                return path.read_bytes()
            except FileNotFoundError as exc:
                raise NotFound(f"{path} does not exist") from exc
        url = f"{self.location}/{relative}"
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise NotFound(f"{url} answered 404") from exc
            raise Unavailable(f"{url} answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError) as exc:
            raise Unavailable(f"{url} cannot be reached: {exc}") from exc

    def checkpoint(self) -> str:
        return self.read("checkpoint").decode("utf-8")

    def tile(self, tile: Tile) -> bytes:
        """The tile at the width asked for; as tlog-tiles allows, a partial tile that has since filled up
        may only exist as the full tile, whose prefix it is."""
        try:
            return self.read(tile.path())
        except NotFound:
            if tile.full:
                raise
            full = self.read(Tile(tile.level, tile.index, TILE_WIDTH).path())
            size = HASH_SIZE if tile.level >= 0 else None
            if size is None:
                return encode_bundle(decode_bundle(full)[: tile.width])
            return full[: tile.width * size]

    def reader(self, size: int) -> TileReader:
        return TileReader(size, self.tile)
