"""What a certificate states, computed from the registry as it is now.

The same function builds the content at issuance and, later, for the online status check: if the
registry's records have been corrected since, the two differ and the certificate is reported as amended.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jaga.db.canonical import canonical_bytes
from jaga.errors import Conflict
from jaga.regions import format_code, load_directory
from jaga.registry import AdoptionCase, AdoptionStep, Birth, CaseStatus, Official, Person, Step

CONTENT_VERSION = 1


def _region(code: str | None) -> str | None:
    if not code:
        return None
    region = load_directory().get(code)
    return f"{region.name} ({format_code(code)})" if region is not None else format_code(code)


def _person(session: Session, person_id: int | None) -> Person | None:
    return session.get(Person, person_id) if person_id is not None else None


def unnamed_newborn(mother_name: str) -> str:
    """What Indonesian registers write for a newborn not yet named: "By. Ny. <mother>" (Bayi Nyonya, the
    baby of Mrs ...), as hospitals and puskesmas do; `jaga.names.parse_name` reads it as a placeholder."""
    return f"By. Ny. {mother_name}" if mother_name.strip() else "By. Ny. -"


def birth_content(session: Session, birth: Birth) -> dict[str, Any]:
    """A registered birth's certificate content; Conflict if it is not civilly registered yet."""
    if birth.akta_number is None or birth.registered_on is None:
        raise Conflict(
            f"birth {birth.ref} has no civil registration (akta) yet: certificates are issued for "
            "registered births only"
        )
    child, mother = _person(session, birth.child_id), _person(session, birth.mother_id)
    father = _person(session, birth.father_id)
    registrar = session.get(Official, birth.registrar_id) if birth.registrar_id is not None else None
    assert child is not None and mother is not None  # foreign keys
    # A blank name would print as a blank line: the certificate states the customary placeholder instead,
    # and says that it is one (the key is absent for named children, so their content is unchanged).
    placeholder = {"child_name_placeholder": True} if not child.full_name.strip() else {}
    return {
        "v": CONTENT_VERSION,
        "type": "birth",
        "birth_ref": birth.ref,
        "akta_number": birth.akta_number,
        "child_name": unnamed_newborn(mother.full_name) if placeholder else child.full_name,
        **placeholder,
        "child_sex": child.sex,
        "born_on": birth.born_on.isoformat(),
        "born_at_time": birth.born_at_time.strftime("%H:%M") if birth.born_at_time else None,
        "place_of_birth": _region(birth.region_code),
        "mother_name": mother.full_name,
        "father_name": father.full_name if father is not None else None,
        "registered_on": birth.registered_on.isoformat(),
        "registration_region": _region(birth.registration_region_code),
        "registrar_office": registrar.office if registrar is not None else None,
    }


def _documents(step: AdoptionStep) -> list[dict[str, str]]:
    return [{"kind": d["kind"], "number": d["number"]} for d in json.loads(step.documents)]


def adoption_content(session: Session, case: AdoptionCase) -> dict[str, Any]:
    """An adoption's certificate content; Conflict unless the court granted it and the registry noted it."""
    if case.status != CaseStatus.REGISTERED:
        raise Conflict(
            f"adoption case {case.ref} is {case.status}: a certificate needs the court ruling and the "
            f"{Step.CIVIL_REGISTRY_ANNOTATION.value} step first"
        )
    steps = {
        s.step: s
        for s in session.scalars(
            select(AdoptionStep).where(AdoptionStep.case_id == case.id).order_by(AdoptionStep.number)
        )
    }
    ruling, annotation = steps[Step.COURT_RULING.value], steps[Step.CIVIL_REGISTRY_ANNOTATION.value]
    child, adopter = _person(session, case.child_id), _person(session, case.adopter_id)
    co_adopter = _person(session, case.co_adopter_id)
    assert child is not None and adopter is not None
    birth = session.scalar(select(Birth).where(Birth.child_id == case.child_id))
    return {
        "v": CONTENT_VERSION,
        "type": "adoption",
        "case_ref": case.ref,
        "adoption_kind": case.kind,
        "child_name": child.full_name,
        "child_born_on": child.birth_date.isoformat() if child.birth_date else None,
        "akta_number": birth.akta_number if birth is not None else None,
        "adopter_name": adopter.full_name,
        "co_adopter_name": co_adopter.full_name if co_adopter is not None else None,
        "court_ruling_on": ruling.occurred_on.isoformat(),
        "court_documents": _documents(ruling),
        "annotated_on": annotation.occurred_on.isoformat(),
        "annotation_documents": _documents(annotation),
    }


def content_text(content: dict[str, Any]) -> str:
    return canonical_bytes(content).decode("utf-8")
