"""What the verify tests share: real certificates of the portal's synthetic registry, as the links and
PDFs a holder has, and the page's pinned data.

A certificate's verify link, PDF and photo are made with the registry's own code (the same that prints
certificates); the tests then use them only through HTTP, the browser and the command line.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jaga.certificates import services
from jaga.certificates.documents import LogAccess, link_of, pdf_of
from jaga.certificates.payload import payload_text
from jaga.certificates.pdf import make_qr
from jaga.db import UnitOfWork, create_engine_for, session_factory
from jaga.registry import Purpose
from tests.portal.conftest import PortalRegistry
from tests.synthetic_registry import PIPELINE_ORIGIN

PINNED = re.compile(r'<script type="application/json" id="verify-data">(.*?)</script>', re.S)
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


@dataclass(frozen=True)
class Certificate:
    ref: str
    link: str
    pdf: bytes
    content: dict[str, Any]

    @property
    def fragment(self) -> str:
        return payload_text(self.link)

    def names(self) -> list[str]:
        """The people the certificate names: never in a log, a URL or a status page."""
        keys = ("child_name", "mother_name", "father_name", "adopter_name")
        return [str(self.content[k]) for k in keys if self.content.get(k)]

    def photo(self) -> bytes:
        """A PNG of the QR code, as a phone photo of the paper would show it (the upload fallback)."""
        buffer = io.BytesIO()
        base, fragment = self.link.split("#", 1)
        make_qr([f"{base}#", fragment]).save(buffer, kind="png", scale=4, border=4)
        return buffer.getvalue()


def certificates(registry: PortalRegistry, base_url: str) -> dict[str, Certificate]:
    """The fixture's "valid" and "revoked" certificates, with links to the portal at `base_url`."""
    engine = create_engine_for(registry.url)
    sessions = session_factory(engine)
    log = LogAccess(registry.keys, PIPELINE_ORIGIN)
    found = {}
    try:
        for name, ref in registry.certificates.items():
            with UnitOfWork(sessions) as uow:
                view = services.get(
                    uow, registry.actors["registrar"], ref, purpose=Purpose("portal verify tests", "test")
                )
            found[name] = Certificate(
                ref,
                link_of(sessions, ref, log, base_url=base_url),
                pdf_of(sessions, view, log, base_url=base_url),
                view.content,
            )
    finally:
        engine.dispose()
    return found


def pinned(html: str) -> dict[str, Any]:
    """The page's data block: the verifier keys and words verify.js works with."""
    match = PINNED.search(html)
    assert match, "the page has no pinned data block"
    value: dict[str, Any] = json.loads(match.group(1))
    return value


def vkey(registry: PortalRegistry) -> Path:
    return registry.keys / "ledger.vkey"
