"""The portal's translations: Babel `.po` catalogs, Bahasa Indonesia first.

Templates and code are written with English message ids (gettext's convention, so that an id is readable
anywhere); `locale/id/LC_MESSAGES/*.po` translates them. Every `.po` file in a language's folder is merged,
so each part of the portal keeps its own catalog and nobody edits a shared file. The `.po` files are read
with Babel at first use; no compiled `.mo` is committed or built.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LOCALE_DIR = Path(__file__).parent / "locale"


class CatalogTranslations(gettext.NullTranslations):
    """gettext's interface over the messages of a language's merged Babel catalogs."""

    def __init__(self, messages: dict[str, str | tuple[str, ...]]) -> None:
        super().__init__()
        self._messages = messages

    def gettext(self, message: str) -> str:
        found = self._messages.get(message)
        return found if isinstance(found, str) and found else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self._messages.get(msgid1)
        if isinstance(found, tuple) and all(found):
            # Indonesian has one plural form; English two. Babel stores them in the catalog's order.
            return found[0] if len(found) == 1 or n == 1 else found[1]
        return msgid1 if n == 1 else msgid2


def catalog_files(language: str) -> list[Path]:
    return sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.po"))


@cache
def messages(language: str) -> dict[str, str | tuple[str, ...]]:
    """Message id -> translation, from every catalog of `language` (a later file never overrides)."""
    merged: dict[str, str | tuple[str, ...]] = {}
    for path in catalog_files(language):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            key = str(message.id if isinstance(message.id, str) else message.id[0])
            string = message.string
            value: str | tuple[str, ...] = string if isinstance(string, str) else tuple(string or ())
            merged.setdefault(key, value)
    return merged


@cache
def translations(language: str) -> gettext.NullTranslations:
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    if language == "en":
        return gettext.NullTranslations()  # the message ids are English
    return CatalogTranslations(messages(language))


def choose(requested: str | None) -> str:
    """The page's language: `?lang=en` or `?lang=id`; Indonesian for anything else or nothing."""
    value = (requested or "").strip().lower()
    return value if value in LANGUAGES else DEFAULT_LANGUAGE
