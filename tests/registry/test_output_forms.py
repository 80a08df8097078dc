"""What comes out is written one way: region codes in the Kemendagri dotted form (API, exports, tables),
whatever form went in; and reference records can be looked up by name."""

from __future__ import annotations

import csv
import io

from sqlalchemy.orm import Session, sessionmaker

from jaga.access import Actor
from jaga.registry.importers import FileFormat, export_records
from jaga.registry.kinds import KINDS
from jaga.registry.schemas.types import FROM_FILE
from tests.conftest import ClientFor
from tests.factories.registry import birth, facility, institution, mother, official


def test_region_codes_come_back_dotted_whatever_form_went_in(client_for: ClientFor) -> None:
    admin, clinic = client_for("admin"), client_for("facility")
    made = admin.post(
        "/api/v1/facilities",
        json={
            "name": "Klinik Sehat",
            "kind": "clinic",
            "licence_number": "LIC-DOT-1",
            "region_code": "337401",
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["region_code"] == "33.74.01"
    mother_ref = clinic.post(
        "/api/v1/people",
        json={
            "source_kind": "facility",
            "full_name": "Siti Aminah",
            "sex": "F",
            "region_code": "33.74",
            "address_region_code": "5171",
        },
    ).json()
    assert (mother_ref["region_code"], mother_ref["address_region_code"]) == ("33.74", "51.71")
    born = clinic.post(
        "/api/v1/births",
        json={
            "child_sex": "M",
            "mother_ref": mother_ref["ref"],
            "born_on": "2025-01-10",
            "place_region_code": "3374011001",
        },
    )
    assert born.json()["region_code"] == "33.74.01.1001"
    listed = clinic.get("/api/v1/births", params={"reason": "check dotted", "region": "33.74"}).json()[
        "items"
    ]
    assert {b["region_code"] for b in listed} == {"33.74.01.1001"}


def test_exports_write_dotted_region_codes_that_import_again(
    sessions: sessionmaker[Session], actors: dict[str, Actor]
) -> None:
    clinic = actors["facility"]
    facility(sessions, actors["admin"], region_code="337401")
    birth(sessions, clinic, mother_ref=mother(sessions, clinic), place_region_code="337401")
    for kind in ("facilities", "births"):
        out = io.StringIO()
        actor = actors["admin"] if kind == "facilities" else clinic
        export_records(
            sessions,
            actor=actor,
            kind_name=kind,
            out=out,
            fmt=FileFormat.CSV,
            reason="dotted check",
            channel="test",
        )
        rows = list(csv.DictReader(io.StringIO(out.getvalue())))
        assert rows
        for row in rows:
            for column, value in row.items():
                if column.endswith("region_code") and value:
                    assert "." in value or len(value) == 2, (kind, column, value)
            data = {k: v for k, v in row.items() if v}
            # The importer's own check, with its context: a file's cells are text.
            KINDS[kind].schema.model_validate(data, context={FROM_FILE: True})


def test_institutions_and_facilities_are_found_by_a_part_of_their_name(
    sessions: sessionmaker[Session], actors: dict[str, Actor], client_for: ClientFor
) -> None:
    admin = actors["admin"]
    wanted = institution(sessions, admin, name="Yayasan Anak Bali Luih")
    institution(sessions, admin, name="LKSA Kasih Ibu")
    clinic = facility(sessions, admin, name="Klinik Bersalin Harapan Bunda")
    facility(sessions, admin, name="RSUD Kota Semarang")
    registrar = official(sessions, admin, full_name="Bambang Sutrisno")
    reader = client_for("police")
    found = reader.get("/api/v1/institutions", params={"name": "  bali   LUIH "})
    assert found.status_code == 200, found.text
    assert [i["ref"] for i in found.json()["items"]] == [wanted]
    assert [
        f["ref"] for f in reader.get("/api/v1/facilities", params={"name": "harapan"}).json()["items"]
    ] == [clinic]
    assert [
        o["ref"] for o in reader.get("/api/v1/officials", params={"name": "sutrisno"}).json()["items"]
    ] == [registrar]
    assert reader.get("/api/v1/institutions", params={"name": "no such name"}).json()["items"] == []
    # LIKE wildcards in the search text are taken literally.
    assert reader.get("/api/v1/institutions", params={"name": "%"}).json()["items"] == []
