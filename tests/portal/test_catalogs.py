"""Every message the portal's templates and pages show has its Bahasa Indonesia translation.

The messages are extracted with Babel (Jinja2's extractor for templates, Python's for the pages' code),
as `pybabel extract` would, and looked up in the merged Indonesian catalogs. Indonesian is the default
language: an untranslated message would show English to everyone.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from jaga.portal import i18n

PORTAL = Path(i18n.__file__).parent
# they share the catalogs
PACKAGES = (PORTAL, PORTAL.parent / "workbench", PORTAL.parent / "faces", PORTAL.parent / "field")
METHODS = [("**/templates/**.html", "jinja2.ext:babel_extract"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}


def extracted() -> dict[str, str]:
    found: dict[str, str] = {}
    for package in PACKAGES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            package, method_map=METHODS, options_map=OPTIONS
        ):
            msgid = message if isinstance(message, str) else message[0]
            if msgid:
                found.setdefault(msgid, f"{package.name}/{filename}:{lineno}")
    return found


def test_the_extraction_sees_the_templates() -> None:
    messages = extracted()
    assert "Check a certificate" in messages
    assert messages["Check a certificate"].startswith("portal/templates/base.html")
    assert messages["Work queue"].startswith("workbench/templates/kerja/")


def test_every_portal_message_has_an_indonesian_translation() -> None:
    indonesian = i18n.messages("id")
    missing = [f"{where}: {msgid!r}" for msgid, where in extracted().items() if not indonesian.get(msgid)]
    assert not missing, "untranslated:\n" + "\n".join(missing)


def test_catalog_entries_are_used() -> None:
    """No translation is dead weight: each catalog entry's English text is written somewhere in jaga's code
    or templates (messages built in the cores, such as field errors, are translated by the pages)."""
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for pattern in ("**/*.py", "**/*.html")
        for path in PORTAL.parent.glob(pattern)
    )
    unused = [msgid for msgid in i18n.messages("id") if msgid not in source]
    assert not unused, f"catalog entries nothing uses: {unused}"
