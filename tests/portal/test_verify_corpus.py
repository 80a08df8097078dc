"""One corpus, two verifiers: every item (a real certificate of the synthetic registry, cosigned by a
witness, and each kind of alteration or damage; tests/certificates/corpus.py) goes through `jaga verify`
and through the portal's verify.js in Chromium. Both must reach the expected verdict, with the same
checks failing for the same reasons (check name, outcome and code, item by item)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from jaga.app import create_app
from jaga.certificates.verify import OFFLINE_CHECKS
from jaga.ledger import Cosigner
from jaga.sequencer import load_keys
from tests.browser import served
from tests.certificates.corpus import Item, build
from tests.cli_helpers import jaga
from tests.conftest import fast_token_hasher
from tests.portal.browser import portal_pages
from tests.portal.conftest import LivePortal, PortalRegistry
from tests.portal.verify_support import certificates, vkey

Checks = list[tuple[str, str, str]]  # (name, "true" | "false" | "none", code)


@dataclass
class Corpus:
    registry: PortalRegistry
    witness: Cosigner
    items: list[Item]
    revoked: str  # the revoked certificate's fragment, cosigned

    def cli(self, fragment: str, *extra: str, base: str = "https://registry.example") -> tuple[str, Checks]:
        """`jaga verify <link> --json`, with the log's and the witness's keys: its verdict and checks."""
        result = jaga(
            self.registry.url,
            "verify",
            f"{base}/v#{fragment}",
            "--vkey",
            str(vkey(self.registry)),
            "--witness-vkey",
            self.witness.verifier().vkey(),
            "--json",
            *extra,
        )
        assert result.exit_code in (0, 1), result.output
        answer = json.loads(result.stdout)
        state = {True: "true", False: "false", None: "none"}
        return answer["verdict"], [(c["name"], state[c["ok"]], c["code"]) for c in answer["checks"]]


def _corpus(registry: PortalRegistry, base_url: str) -> Corpus:
    from jaga.certificates.payload import decode, encode_fragment
    from tests.certificates.corpus import cosigned

    issued = certificates(registry, base_url)
    witness = Cosigner.generate("witness.test/w1")
    items = build(issued["valid"].link, load_keys(registry.keys).signer, witness)
    revoked = encode_fragment(cosigned(decode(issued["revoked"].link), witness))
    return Corpus(registry, witness, items, revoked)


def _offline(checks: Checks) -> Checks:
    return [c for c in checks if c[0] in OFFLINE_CHECKS]


def test_jaga_verify_gives_every_item_of_the_corpus_its_verdict(portal_registry: PortalRegistry) -> None:
    corpus = _corpus(portal_registry, "http://testserver")
    assert len(corpus.items) >= 35
    wrong = {}
    for item in corpus.items:
        verdict, _ = corpus.cli(item.fragment)
        if verdict != item.verdict:
            wrong[item.name] = verdict
    assert not wrong, wrong


@pytest.fixture(scope="module")
def witnessed_portal(live_portal: LivePortal) -> Iterator[tuple[str, Corpus]]:
    """The live portal's registry served once more, by a server that also trusts the corpus's witness
    (so its page pins that witness's key and needs one cosignature, as `jaga verify` then does)."""
    corpus = _corpus(live_portal.registry, live_portal.url)
    settings = live_portal.registry.settings(witness_vkeys=[corpus.witness.verifier().vkey()])
    with served(create_app(settings, token_hasher=fast_token_hasher())) as (url, _server):
        yield url, corpus


def _browser(open_page: Any, url: str, *, block_status: bool) -> tuple[str, Checks]:
    page = open_page(phone=True)
    if block_status:
        page.route(re.compile(r".*/(verify/v1|ledger)/.*"), lambda route: route.abort())
    page.goto(url)
    page.wait_for_selector('[data-verdict]:not([data-verdict="checking"])', timeout=20000)
    verdict = page.get_attribute("[data-verdict]", "data-verdict")
    items = page.locator("#checks li")
    checks = [
        (
            items.nth(i).get_attribute("data-check"),
            items.nth(i).get_attribute("data-ok"),
            items.nth(i).get_attribute("data-code"),
        )
        for i in range(items.count())
    ]
    page.context.close()
    return verdict, checks


@pytest.mark.slow
def test_every_item_gets_the_same_verdict_and_checks_from_jaga_verify_and_from_the_browser(
    witnessed_portal: tuple[str, Corpus],
) -> None:
    url, corpus = witnessed_portal
    differences: dict[str, object] = {}
    with portal_pages() as open_page:
        data = open_page(phone=False)
        data.goto(f"{url}/v")
        pinned = json.loads(data.inner_text("#verify-data"))
        assert pinned["witness_keys"] == [corpus.witness.verifier().vkey()] and pinned["min_witnesses"] == 1
        for item in corpus.items:
            cli_verdict, cli_checks = corpus.cli(item.fragment)
            page_verdict, page_checks = _browser(open_page, f"{url}/v#{item.fragment}", block_status=True)
            if not (cli_verdict == page_verdict == item.verdict and _offline(page_checks) == cli_checks):
                differences[item.name] = {
                    "expected": item.verdict,
                    "cli": (cli_verdict, cli_checks),
                    "page": (page_verdict, page_checks),
                }
    assert not differences, json.dumps(differences, indent=1)


@pytest.mark.slow
def test_online_both_verifiers_say_valid_and_revoked_alike(witnessed_portal: tuple[str, Corpus]) -> None:
    url, corpus = witnessed_portal
    with portal_pages() as open_page:
        for fragment, expected in ((corpus.items[0].fragment, "valid"), (corpus.revoked, "revoked")):
            cli_verdict, cli_checks = corpus.cli(fragment, "--online", url, base=url)
            page_verdict, page_checks = _browser(open_page, f"{url}/v#{fragment}", block_status=False)
            assert cli_verdict == page_verdict == expected
            assert cli_checks == page_checks  # status and log consistency included
