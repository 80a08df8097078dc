"""`jaga bench workbench`: the officers' busiest pages, against the JSON API for the same data.

The registry is built by the demo's own stages (`jaga.demo.stages`): `jaga synth` (all Indonesia, planted
schemes), every file imported as the role its manifest names, the synthetic tips, identity linkage
(DuckDB), the flag detectors as of the day after the synthetic window, and the log integrated. SQLite by
default, and a scratch PostgreSQL database (created and dropped) unless `--skip-postgres`. `--keep DIR`
keeps the synthetic files and the SQLite registry there and reuses them on a later run with the same
births and seed (the PostgreSQL registry is built again from the kept files).

`jaga serve`'s application runs in its own process on a loopback port. The demo's national social worker
(flags, the identity review queue, every child record) logs in through the real `/masuk` form with a
password set for the run, states the task's purpose at `/kerja/tujuan`, and reads the same data through
the API with a token of the same account. On one keep-alive connection, each page and its reference are
requested in turn, `requests` times each (after a few untimed ones), so both meet the same load on a
shared machine; every read is audited with the purpose, as in real use. Latency is from sending the
request to the last byte of the body. The client is the standard library's `http.client`: httpx is only
a test dependency of jaga, and one sequential connection needs nothing more.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from sqlalchemy import func, select

from jaga.access import OPERATOR, TokenHasher, issue_token
from jaga.access.credentials import set_password
from jaga.bench.scratch import scratch_postgres
from jaga.bench.server import served
from jaga.cli_support import make_console
from jaga.db import UnitOfWork, create_engine_for, session_factory
from jaga.demo import stages
from jaga.demo.folder import MARKER
from jaga.errors import Conflict
from jaga.flags.models import Flag, FlagStatus
from jaga.registry import AdoptionCase, AdoptionStep, Birth, Person
from jaga.sequencer import init_keys, integrate
from jaga.settings import Settings
from jaga.synth.scenario import Scenario

console = make_console()
ORIGIN = "bench.jaga/ledger"
OFFICER = "demo-social-worker"  # the demo's account: national scope, flags, review queue, child records
PURPOSE = "bench: workbench pages against the API"
SAMPLE = 20  # children whose timelines are read in turn
WARM_UP = 3
BUILT = "built.json"  # in a --keep folder: what the kept SQLite registry was built from


@dataclass(frozen=True)
class Registry:
    url: str
    keys: Path
    data_dir: Path
    size: dict[str, int]  # births, person records, open flags, adoption cases
    children: list[str]  # refs of children with rich timelines


@dataclass(frozen=True)
class Request:
    path: str
    ok: frozenset[int] = frozenset({200})
    marker: str | None = (
        None  # what a page must hold (it is the page asked for, not a login or a purpose form)
    )


@dataclass(frozen=True)
class Probe:
    page: str  # the row's label
    reference: str  # what the API side requests, said in the output
    pages: Callable[[int], list[Request]]  # the i-th timed sample's requests
    api: Callable[[int], list[Request]]


@dataclass
class Timings:
    page_ms: list[float] = field(default_factory=list)
    api_ms: list[float] = field(default_factory=list)
    failures: int = 0

    @staticmethod
    def percentile(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def scenario() -> Scenario:
    return Scenario(name="bench-workbench")


def build(state: stages.DemoState, *, births: int, seed: int, keys: Path, synthesise: bool) -> float:
    """The demo's pipeline into the (empty) database of `state`; seconds taken."""
    started = time.perf_counter()
    plan = scenario()

    def step(name: str) -> None:
        console.print(f"  {name} ({time.perf_counter() - started:.0f} s)", style="dim", highlight=False)

    if synthesise:
        step("synthesising")
        stages.generate(state, births=births, seed=seed, scenario=plan)
    engine = stages.database(state)
    sessions = session_factory(engine)
    actors = stages.accounts(state, sessions)
    step("importing")
    stages.import_all(state, sessions, actors)
    step("sending the synthetic tips")
    stages.tips(state, sessions)
    step("linking identities")
    stages.linkage(state, sessions, actors)
    step("running the flag detectors")
    stages.flags(state, sessions, as_of=plan.window.end + timedelta(days=1))
    step("integrating the log")
    integrate(sessions, init_keys(keys, ORIGIN), origin=ORIGIN)
    engine.dispose()
    return time.perf_counter() - started


def describe(url: str, keys: Path, data_dir: Path) -> Registry:
    """The registry's size and a sample of children with rich timelines: adopted children, those whose
    cases took the most steps first (a birth, often a relinquishment and a placement, the case, its
    steps, flags); children with a birth record when there are too few."""
    engine = create_engine_for(url)
    with session_factory(engine)() as session:
        size = {
            "births": session.scalar(select(func.count(Birth.id))) or 0,
            "person records": session.scalar(select(func.count(Person.id))) or 0,
            "open flags": session.scalar(
                select(func.count(Flag.id)).where(Flag.present.is_(True), Flag.status == FlagStatus.OPEN)
            )
            or 0,
            "adoption cases": session.scalar(select(func.count(AdoptionCase.id))) or 0,
        }
        adopted = session.scalars(
            select(Person.ref)
            .join(AdoptionCase, AdoptionCase.child_id == Person.id)
            .outerjoin(AdoptionStep, AdoptionStep.case_id == AdoptionCase.id)
            .group_by(Person.id, Person.ref)
            .order_by(func.count(AdoptionStep.id).desc(), Person.id)
            .limit(SAMPLE)
        ).all()
        children = list(adopted)
        if len(children) < SAMPLE:
            born = session.scalars(
                select(Person.ref)
                .join(Birth, Birth.child_id == Person.id)
                .where(Person.ref.not_in(children) if children else Person.id.is_not(None))
                .order_by(Birth.id)
                .limit(SAMPLE - len(children))
            ).all()
            children += born
    engine.dispose()
    if not children:
        raise RuntimeError("the registry holds no child to read a timeline of")
    return Registry(url, keys, data_dir, size, children)


def probes(children: list[str]) -> list[Probe]:
    reason = urlencode({"reason": PURPOSE})

    def child(i: int) -> str:
        return children[i % len(children)]

    return [
        Probe(
            "work queue /kerja",
            "GET /api/v1/flags?status=open&limit=10 (the 10 flags it lists) + GET /api/v1/review/next "
            "(its `remaining` is the pairs count; it also reads the first pair); the open-flag count has "
            "no API route",
            lambda i: [Request("/kerja", marker="data-queue")],
            lambda i: [
                Request(f"/api/v1/flags?status=open&limit=10&{reason}"),
                Request(f"/api/v1/review/next?{reason}", ok=frozenset({200, 204})),
            ],
        ),
        Probe(
            "flag list /kerja/flags",
            "GET /api/v1/flags?status=open&limit=50 (the page's filter and page size)",
            lambda i: [Request("/kerja/flags", marker="data-flag-filters")],
            lambda i: [Request(f"/api/v1/flags?status=open&limit=50&{reason}")],
        ),
        Probe(
            "child timeline /kerja/people/{ref}",
            f"GET /api/v1/people/{{ref}}/timeline, the same children in turn (up to {SAMPLE}: adopted "
            "children, those whose cases took the most steps first)",
            lambda i: [Request(f"/kerja/people/{child(i)}", marker="data-timeline")],
            lambda i: [Request(f"/api/v1/people/{child(i)}/timeline?{reason}")],
        ),
    ]


class Client:
    """One keep-alive HTTP/1.1 connection, with the workbench's session cookie or the API token."""

    def __init__(self, port: int) -> None:
        self.origin = f"http://127.0.0.1:{port}"
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.cookie = ""

    def send(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, body: str | None = None
    ) -> tuple[int, dict[str, str], str]:
        self.connection.request(method, path, body=body, headers=headers or {})
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def page(self, path: str) -> tuple[int, str]:
        status, _, text = self.send("GET", path, headers={"Cookie": self.cookie, "Accept": "text/html"})
        return status, text

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.origin,
            "Cookie": self.cookie,
        }
        return self.send("POST", path, headers=headers, body=urlencode(fields))

    def close(self) -> None:
        self.connection.close()


def _field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    if found is None:
        raise RuntimeError(f"the page has no {name!r} field")
    return found.group(1)


def log_in(client: Client, password: str) -> None:
    """Through the real forms: `/masuk`, then the task's purpose at `/kerja/tujuan`."""
    _, login_page = client.page("/masuk")
    fields = {"username": OFFICER, "password": password, "next": "/kerja"}
    status, headers, _ = client.post_form(
        "/masuk", {**fields, "form_token": _field(login_page, "form_token")}
    )
    cookie = SimpleCookie(headers.get("set-cookie", ""))
    if status != 303 or not cookie:
        raise RuntimeError(f"logging in as {OFFICER} failed (HTTP {status})")
    client.cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in cookie.items())
    _, queue = client.page("/kerja")
    status, _, _ = client.post_form("/kerja/tujuan", {"csrf": _field(queue, "csrf"), "purpose": PURPOSE})
    if status != 303:
        raise RuntimeError(f"setting the task's purpose failed (HTTP {status})")


def _sample(client: Client, requests: list[Request], token: str | None) -> tuple[float, bool]:
    """Milliseconds for the requests one after the other, and whether every answer was as expected."""
    ok = True
    started = time.perf_counter()
    for request in requests:
        headers = {"Authorization": f"Bearer {token}"} if token else {"Cookie": client.cookie}
        status, _, text = client.send("GET", request.path, headers=headers)
        ok = ok and status in request.ok and (request.marker is None or request.marker in text)
    return (time.perf_counter() - started) * 1000, ok


def measure(registry: Registry, *, requests: int, label: str) -> dict[str, Timings]:
    """Serve the registry, log in, and time every probe's page and API `requests` times, alternately."""
    engine = create_engine_for(registry.url)
    sessions = session_factory(engine)
    password = stages.demo_password()
    with UnitOfWork(sessions) as uow:
        set_password(uow, actor=OPERATOR, username=OFFICER, password=password)
    with UnitOfWork(sessions) as uow:
        token = issue_token(uow, TokenHasher(), actor=OPERATOR, username=OFFICER)
    engine.dispose()
    settings = Settings(
        data_dir=registry.data_dir,
        database_url=registry.url,
        ledger_key_dir=registry.keys,
        ledger_origin=ORIGIN,
        log_level="WARNING",
    )
    results: dict[str, Timings] = {}
    with served(settings) as port:
        client = Client(port)
        try:
            log_in(client, password)
            with Progress(
                TextColumn(f"{label}: {{task.description}}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=console,
                transient=True,
                disable=not console.is_terminal,
            ) as progress:
                for probe in probes(registry.children):
                    task = progress.add_task(probe.page, total=requests)
                    for i in range(WARM_UP):
                        _, page_ok = _sample(client, probe.pages(i), None)
                        _, api_ok = _sample(client, probe.api(i), token)
                        if not (page_ok and api_ok):
                            raise RuntimeError(f"{probe.page}: the page or its API reference did not answer")
                    timings = results[probe.page] = Timings()
                    for i in range(requests):
                        page_ms, page_ok = _sample(client, probe.pages(i), None)
                        api_ms, api_ok = _sample(client, probe.api(i), token)
                        timings.page_ms.append(page_ms)
                        timings.api_ms.append(api_ms)
                        timings.failures += (not page_ok) + (not api_ok)
                        progress.advance(task)
        finally:
            client.close()
    return results


def _sqlite_registry(folder: Path, *, births: int, seed: int) -> Registry:
    """The SQLite registry in `folder`: the one kept there if it was built from the same births and
    seed, else a new one (with new synthetic files)."""
    marker = folder / BUILT
    wanted = {"births": births, "seed": seed}
    url = f"sqlite:///{(folder / 'jaga.db').as_posix()}"
    keys = folder / "keys"
    if marker.exists() and json.loads(marker.read_text(encoding="utf-8")) == wanted:
        console.print(f"reusing the registry kept in {folder}", highlight=False)
    else:
        if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists():
            raise Conflict(f"{folder} is not empty and holds no registry of this benchmark; choose another")
        state = stages.prepare(folder)  # a fresh folder: the previous files and database go
        console.print(f"building a registry of {births:,} synthetic births on SQLite ...")
        seconds = build(state, births=births, seed=seed, keys=keys, synthesise=True)
        console.print(f"built in {seconds:.0f} s", style="dim")
        marker.write_text(json.dumps(wanted), encoding="utf-8")
    return describe(url, keys, folder)


def run(*, births: int, seed: int, requests: int, keep: Path | None, postgres_url: str | None) -> None:
    load_before = os.getloadavg()
    results: dict[str, tuple[Registry, dict[str, Timings]]] = {}
    with tempfile.TemporaryDirectory(prefix="jaga-bench-workbench-") as tmp:
        folder = keep or Path(tmp) / "registry"
        sqlite = _sqlite_registry(folder, births=births, seed=seed)
        results["SQLite"] = (sqlite, measure(sqlite, requests=requests, label="SQLite"))
        if postgres_url:
            with scratch_postgres(postgres_url) as url:
                console.print("building the same registry on PostgreSQL (a scratch database) ...")
                state = stages.DemoState(folder, url)
                keys = Path(tmp) / "postgresql-keys"
                seconds = build(state, births=births, seed=seed, keys=keys, synthesise=False)
                console.print(f"built in {seconds:.0f} s", style="dim")
                registry = describe(url, keys, Path(tmp))
                results["PostgreSQL"] = (registry, measure(registry, requests=requests, label="PostgreSQL"))
    report(results, requests=requests, load=(load_before, os.getloadavg()))


def report(
    results: dict[str, tuple[Registry, dict[str, Timings]]],
    *,
    requests: int,
    load: tuple[tuple[float, float, float], tuple[float, float, float]],
) -> None:
    table = Table(title=f"workbench pages against the JSON API, {requests} requests each, one connection")
    for column in (
        "database",
        "page",
        "p50 ms",
        "p99 ms",
        "API p50 ms",
        "API p99 ms",
        "page / API",
        "failed",
    ):
        table.add_column(column, justify="left" if column in ("database", "page") else "right")
    for database, (_, timings) in results.items():
        for page, t in timings.items():
            p50, api_p50 = statistics.median(t.page_ms), statistics.median(t.api_ms)
            table.add_row(
                database,
                page,
                f"{p50:.1f}",
                f"{Timings.percentile(t.page_ms, 0.99):.1f}",
                f"{api_p50:.1f}",
                f"{Timings.percentile(t.api_ms, 0.99):.1f}",
                f"{p50 / api_p50:.2f}",
                str(t.failures),
            )
    console.print(table)
    for database, (registry, _) in results.items():
        sizes = ", ".join(f"{count:,} {what}" for what, count in registry.size.items())
        console.print(f"registry ({database}): {sizes}", highlight=False)
    console.print("page / API: ratio of the medians. The API side of each row:", highlight=False)
    for probe in probes(["{ref}"]):
        console.print(f"  {probe.page}: {probe.reference}", highlight=False)
    console.print(
        f"{os.cpu_count()} CPUs visible; load average {load[0][0]:.1f} before, {load[1][0]:.1f} after "
        "(the server and this client share them)",
        highlight=False,
    )
