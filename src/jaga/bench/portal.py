"""`jaga bench portal`: the public portal under loopback load, against a static file of the same server.

A small registry is built as the demo builds one (synthetic births, imported, the log integrated, one
birth certificate issued); the application runs in its own (spawned) process; a load generator in this process
keeps `concurrency` HTTP/1.1 keep-alive connections busy on one path for `seconds`, and reports requests
per second and latency percentiles. The reference is a static file served by the same server in the same
run (`/static/portal.css`): the ratio says what the portal's own work costs over the bare server.

The load generator is written here on asyncio streams, not taken from a library: wrk is not installed
by jaga's setup, and an HTTP client library (httpx) tops out below the server's rate on a 2-core machine,
so it would measure itself. It sends the same request bytes again and again and reads each answer by its
Content-Length (the server never answers these paths with chunked bodies).

Then, in Debian's Chromium (when installed), the time a phone takes to show the verify page and reach a
verdict offline from the QR link, against loading the same page without a payload.
"""

from __future__ import annotations

import asyncio
import multiprocessing.process
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from jaga.bench.server import free_port, stop_server
from jaga.bench.server import start_server as server_process
from jaga.settings import Settings

console = Console()
REFERENCE = "/static/portal.css"
ORIGIN = "bench.jaga/ledger"


@dataclass(frozen=True)
class Load:
    path: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass(frozen=True)
class Site:
    data_dir: Path
    certificate_ref: str
    verify_url_path: str  # "/v#..." : the path and fragment the certificate's QR code opens


def build_site(folder: Path, *, births: int, seed: int) -> Site:
    """A demo-like registry in `folder` with one birth certificate, as `jaga demo` builds it."""
    from jaga.certificates.qr import payload_from_file
    from jaga.db import session_factory
    from jaga.demo import stages
    from jaga.synth.scenario import Scenario

    state = stages.prepare(folder)
    stages.generate(state, births=births, seed=seed, scenario=Scenario(name="bench-portal", province="33"))
    engine = stages.database(state)
    sessions = session_factory(engine)
    actors = stages.accounts(state, sessions)
    stages.import_all(state, sessions, actors)
    stages.ledger(state, sessions, origin=ORIGIN)
    stages.certificates(state, sessions, actors, origin=ORIGIN, base_url="http://127.0.0.1", count=1)
    engine.dispose()
    sample = state.certificates[0]
    payload = payload_from_file(state.certificate_folder / sample.pdf)
    return Site(folder, sample.ref, verify_path(payload))


def verify_path(payload: str) -> str:
    """The path and fragment of the certificate's link, whatever form the payload was read in."""
    from jaga.certificates.payload import VERIFY_PATH, decode, encode_fragment

    return f"{VERIFY_PATH}#{encode_fragment(decode(payload))}"


def start_server(site: Site, port: int, origin: str = ORIGIN) -> multiprocessing.process.BaseProcess:
    """The application in its own process, on the site's registry."""
    settings = Settings(
        data_dir=site.data_dir,
        database_url=f"sqlite:///{site.data_dir / 'jaga.db'}",
        ledger_origin=origin,
        log_level="WARNING",
    )
    return server_process(settings, port)


async def _worker(
    port: int, request: bytes, stop_at: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()


def load(port: int, path: str, *, seconds: float, concurrency: int) -> Load:
    """Keep `concurrency` connections busy on GET `path` for `seconds`."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/html\r\n\r\n".encode()
    latencies: list[float] = []
    errors: list[int] = []

    async def run() -> float:
        started = time.perf_counter()
        stop_at = started + seconds
        await asyncio.gather(
            *(_worker(port, request, stop_at, latencies, errors) for _ in range(concurrency))
        )
        return time.perf_counter() - started

    elapsed = asyncio.run(run())
    return Load(path, len(latencies), len(errors), elapsed, latencies)


def browser_times(base: str, verify_path: str, runs: int) -> tuple[list[float], list[float]] | None:
    """Milliseconds from navigation to verdict with the QR link, and to load for the bare page."""
    import shutil

    executable = shutil.which("chromium")
    if executable is None:
        return None
    from playwright.sync_api import sync_playwright

    page_only, with_verdict = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
                page = context.new_page()
                page.route("**/verify/v1/**", lambda route: route.abort())  # offline verdict only
                page.route("**/ledger/**", lambda route: route.abort())
                started = time.perf_counter()
                page.goto(f"{base}/v", wait_until="load")
                page_only.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                page.goto(f"{base}{verify_path}", wait_until="commit")
                page.wait_for_selector('[data-verdict]:not([data-verdict="checking"])', timeout=30_000)
                with_verdict.append((time.perf_counter() - started) * 1000)
                context.close()
        finally:
            browser.close()
    return page_only, with_verdict


def run(*, births: int, seconds: float, concurrency: int, browser_runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="jaga-bench-portal-") as scratch:
        console.print(f"building a registry of {births:,} synthetic births with one certificate…")
        site = build_site(Path(scratch) / "site", births=births, seed=7)
        port = free_port()
        server = start_server(site, port)
        try:
            paths = [
                ("static file (reference)", REFERENCE),
                ("landing page /", "/"),
                ("verify page /v", "/v"),
                (
                    "public status /verify/v1/certificates/{ref}",
                    f"/verify/v1/certificates/{site.certificate_ref}",
                ),
            ]
            load(port, REFERENCE, seconds=1.0, concurrency=concurrency)  # warm up
            results = [
                (label, load(port, path, seconds=seconds, concurrency=concurrency)) for label, path in paths
            ]
            reference = results[0][1]
            table = Table(title=f"portal under loopback load ({concurrency} connections, {seconds:g} s each)")
            for column in ("path", "requests/s", "vs static", "p50 ms", "p99 ms", "non-200"):
                table.add_column(column, justify="left" if column == "path" else "right")
            for label, result in results:
                table.add_row(
                    label,
                    f"{result.per_second:,.0f}",
                    f"{result.per_second / reference.per_second:.2f}",
                    f"{result.percentile(0.5):.1f}",
                    f"{result.percentile(0.99):.1f}",
                    str(result.errors),
                )
            console.print(table)
            times = browser_times(f"http://127.0.0.1:{port}", site.verify_url_path, browser_runs)
            if times is None:
                console.print("browser: Chromium is not installed (scripts/test installs it); not measured")
            else:
                bare, verdict = times
                console.print(
                    f"browser (Chromium, phone viewport, status service blocked), {browser_runs} runs: "
                    f"verify page load median {statistics.median(bare):.0f} ms; QR link to offline verdict "
                    f"median {statistics.median(verdict):.0f} ms (max {max(verdict):.0f} ms)"
                )
        finally:
            stop_server(server)
