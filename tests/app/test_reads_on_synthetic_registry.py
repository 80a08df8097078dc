"""Every read route and every export kind, as every account, on a registry filled by `jaga synth`.

Empty tables hide the bugs that only real rows reach (an adoption case with steps, a relinquishment with
witnesses, a flag with evidence). This walks every GET operation of the OpenAPI document with real refs
taken from the registry, as each test account, on SQLite and on PostgreSQL, and checks that the answer is
exactly what the permission matrix and the account's region scope say: the records (never an empty page
where the scope holds some), 403 outside the role or the region, and never a 5xx.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.access import PERMISSIONS, Action
from jaga.app import create_app
from jaga.db import create_engine_for
from jaga.registry.kinds import KINDS
from jaga.registry.models import Birth, Person
from jaga.settings import Settings
from jaga.synth.generator import synthesise
from jaga.synth.scenario import Scenario
from tests.cli_helpers import jaga
from tests.conftest import ACCOUNTS, DIALECTS, PreparedDatabase, _require, fast_token_hasher
from tests.faces.conftest import download_face_images, photograph_registry
from tests.field.conftest import field_conflict_in_registry
from tests.synthetic_registry import PIPELINE_ORIGIN, pipeline_registry

pytestmark = pytest.mark.slow

BIRTHS = 400
PROVINCE = "33"
REASON = "read-route check on a synthetic registry"
ORIGIN = PIPELINE_ORIGIN
# The province's ring reported and a few vague tips (the default rates give 400 births none), so that the
# tip routes have tips to read.
SCENARIO = Scenario.model_validate(
    {"name": "read-routes", "province": PROVINCE, "tips": {"ring_tipped": 1, "vague_per_10k_births": 200}}
)


@dataclass
class Registry:
    database: PreparedDatabase
    url: str
    refs: dict[str, str]  # path parameter kind -> a real value in the registry
    regions: dict[str, str]  # path parameter kind -> the region of that record, where it has one
    keys: Path
    data_dir: Path  # the photo store


@pytest.fixture(scope="module")
def face_photos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Real photos (face-recognition 1.3.0's test images, adults: no child's face is made up)."""
    return download_face_images(tmp_path_factory.mktemp("read-route-faces"))


@pytest.fixture(scope="module")
def synthetic_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("read-routes") / "synth"
    synthesise(births=BIRTHS, seed=11, out=folder, scenario=SCENARIO)
    return folder


@pytest.fixture(scope="module", params=DIALECTS)
def registry(
    request: pytest.FixtureRequest,
    _databases: dict[str, PreparedDatabase | str],
    synthetic_folder: Path,
    face_photos: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Registry]:
    database = _require(_databases, request.param)
    keys = tmp_path_factory.mktemp("read-route-keys")
    data_dir = tmp_path_factory.mktemp("read-route-data")
    with pipeline_registry(database, synthetic_folder, SCENARIO, keys, tmp_path_factory) as url:
        photograph_registry(url, data_dir, database.tokens, face_photos, reason=REASON)
        field_conflict_in_registry(url, database.tokens, tmp_path_factory.mktemp("read-route-field"))
        # The commands kept the photo key in their default key folder; the app is given `keys`.
        shutil.copy2(data_dir / "keys" / "photos.key", keys / "photos.key")
        yield Registry(database, url, *_real_refs(url), keys, data_dir)


def _real_refs(url: str) -> tuple[dict[str, str], dict[str, str]]:
    """A real value for every path parameter, and its record's region, read straight from the tables."""
    from jaga.certificates.models import Certificate
    from jaga.faces import Photo
    from jaga.flags.models import Flag
    from jaga.linkage.models import IdentityLink
    from jaga.tips import Tip

    engine = create_engine_for(url)
    refs: dict[str, str] = {}
    regions: dict[str, str] = {}
    with Session(engine) as session:
        for name, kind in KINDS.items():
            if kind.read is None:
                continue
            model: Any = kind.read.model
            query = select(model.ref, model.region_code).order_by(model.id).limit(1)
            if name == "people":  # a facility's record: linked, so /people/{ref}/identity shows something
                query = query.where(Person.source_kind == "facility")
            refs[name], regions[name] = session.execute(query).one()
        refs["certificates"], regions["certificates"] = session.execute(
            select(Certificate.ref, Birth.region_code).join(Birth, Birth.id == Certificate.birth_id).limit(1)
        ).one()
        flag_id, regions["flags"] = session.execute(
            select(Flag.id, Flag.region_code).order_by(Flag.id).limit(1)
        ).one()
        refs["flags"] = str(flag_id)
        refs["review"] = str(session.scalars(select(IdentityLink.id).limit(1)).one())
        refs["tips"], regions["tips"] = session.execute(
            select(Tip.ref, Tip.region_code).order_by(Tip.id).limit(1)
        ).one()
        refs["photos"], regions["photos"] = session.execute(
            select(Photo.ref, Photo.region_code).order_by(Photo.id).limit(1)
        ).one()
    engine.dispose()
    refs["regions"] = "3374"
    return refs, regions


def _get_routes(app: Any) -> list[tuple[str, str | None]]:
    """(path, declared action) of every GET operation in the OpenAPI document."""
    spec = app.openapi()
    return [
        (path, operations["get"].get("x-jaga-action"))
        for path, operations in spec["paths"].items()
        if "get" in operations
    ]


def _resource(path: str) -> str:
    """The kind of record a route's path parameter names: /api/v1/births/{ref} -> births."""
    return "certificates" if path.startswith("/verify/") else path.split("/")[3]


def _fill(path: str, refs: dict[str, str]) -> str:
    """The route with its path parameters replaced by real values."""
    if path.startswith("/ledger/tile/"):
        return "/ledger/tile/0/000"  # the first full tile: the log holds thousands of events
    path = path.replace("{sha256}", "0" * 64)  # a well-formed hash of no screenshot
    return re.sub(r"\{[^}]+\}", lambda _: refs[_resource(path)], path)


def _covers_province(account: str) -> bool:
    """The account's scope holds the whole synthetic province, so every list must show records."""
    return PROVINCE.startswith(ACCOUNTS[account][1])


def _expected(registry: Registry, account: str, action: str | None, path: str) -> set[int]:
    role, scope = ACCOUNTS[account]
    if action is None or action == "any":
        return {200}
    if Action(action) not in PERMISSIONS[role]:
        return {403}
    region = registry.regions.get(_resource(path)) if "{" in path else None
    scoped = action not in (Action.REFERENCE_READ.value, Action.AUDIT_READ.value)
    if region is not None and scoped and not region.startswith(scope):
        return {403}  # a record of another region: refused, not hidden
    if path == "/api/v1/review/next":
        return {200, 204}
    if path.endswith("/screenshots/{sha256}"):
        return {404}  # the synthetic tips carry no screenshot
    return {200}


# Lists of what a synthetic registry never holds: none (the fixture adds photos through the public path).
NEVER_SYNTHESISED: tuple[str, ...] = ()


def test_every_read_route_answers_every_account_as_the_matrix_says(registry: Registry) -> None:
    settings = Settings(
        database_url=registry.url,
        environment="test",
        base_url="https://jaga.test",
        ledger_key_dir=registry.keys,
        ledger_origin=ORIGIN,
        data_dir=registry.data_dir,
    )
    app = create_app(settings, token_hasher=fast_token_hasher())
    routes = _get_routes(app)
    assert len(routes) >= 25
    checked = 0
    non_empty = 0
    with TestClient(app) as anonymous:
        for account in ACCOUNTS:
            client = TestClient(app, headers={"Authorization": f"Bearer {registry.database.tokens[account]}"})
            for path, action in routes:
                url = _fill(path, registry.refs)
                response = client.get(url, params={"reason": REASON})
                status = response.status_code
                assert status < 500, (account, url, status, response.text[:300])
                expected = _expected(registry, account, action, path)
                assert status in expected, (account, url, status, response.text[:300])
                checked += 1
                if status == 200 and path.startswith("/api/v1/") and "{" not in path:
                    items = response.json()
                    items = items.get("items", items) if isinstance(items, dict) else items
                    skipped = ("/api/v1/audit", "/api/v1/me", *NEVER_SYNTHESISED)
                    if _covers_province(account) and path not in skipped:
                        assert items, f"{account} sees nothing at {path} on a filled registry"
                        non_empty += 1
            client.close()
        assert anonymous.get("/api/v1/births", params={"reason": REASON}).status_code == 401
    assert checked == len(routes) * len(ACCOUNTS)
    assert non_empty > 50


def test_every_export_kind_as_every_account(registry: Registry, tmp_path: Path) -> None:
    exported = 0
    for account in ACCOUNTS:
        role = ACCOUNTS[account][0]
        for name, kind in KINDS.items():
            if kind.read is None:
                continue
            out = tmp_path / f"{account}-{name}.csv"
            result = jaga(
                registry.url,
                "export",
                name,
                "--reason",
                REASON,
                "--out",
                str(out),
                token=registry.database.tokens[account],
            )
            assert "Traceback" not in result.output, (account, name, result.output)
            if kind.read.action not in PERMISSIONS[role]:
                assert result.exit_code == 5, (account, name, result.exit_code, result.output)
                assert not out.exists()
                continue
            assert result.exit_code == 0, (account, name, result.exit_code, result.output)
            rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
            scoped = kind.read.region_scoped
            if _covers_province(account) or not scoped:
                assert rows, f"{account} exported no {name} from a filled registry"
                assert set(kind.columns) <= set(rows[0]), (name, sorted(set(kind.columns) - set(rows[0])))
                exported += len(rows)
            else:  # a narrower or another scope: only records inside it (people move between provinces)
                scope = ACCOUNTS[account][1]
                regions = [r.get("region_code") or r["place_region_code"] for r in rows]  # births: the place
                outside = [code for code in regions if not code.replace(".", "").startswith(scope)]
                assert outside == [], (account, name, outside[:5])
    assert exported > 1000
