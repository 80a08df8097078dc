"""Roles, actions and the permission matrix. Deny by default: what is not listed is refused.

Every service call checks the actor's role against this matrix and the record's region against the
actor's region scope, so the API, the CLI and the importers obey the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jaga.errors import OutOfRegion, RoleNotAllowed
from jaga.regions import format_code, within


class Role(StrEnum):
    REGISTRAR = "registrar"  # Disdukcapil civil registrar
    FACILITY = "facility"  # hospital, puskesmas, clinic or midwife practice staff
    SOCIAL_WORKER = "social_worker"  # Dinas Sosial / Kemensos (peksos)
    INSTITUTION = "institution"  # licensed child-care institution (LKSA) staff
    COURT = "court"  # district or religious court clerk
    POLICE = "police"  # Unit PPA investigators
    AUDITOR = "auditor"  # oversight: reads everything, writes nothing
    ADMIN = "admin"  # accounts and reference data; no child records


class Action(StrEnum):
    PEOPLE_READ = "people:read"
    PEOPLE_WRITE = "people:write"
    REFERENCE_READ = "reference:read"  # facilities, attendants, officials, institutions, regions
    REFERENCE_WRITE = "reference:write"
    LICENCE_WRITE = "licences:write"  # change an institution's licence status
    BIRTHS_READ = "births:read"
    BIRTHS_RECORD = "births:record"  # a facility's birth statement (SKL)
    BIRTHS_REGISTER = "births:register"  # civil registration (akta)
    RELINQUISHMENTS_READ = "relinquishments:read"
    RELINQUISHMENTS_WRITE = "relinquishments:write"
    PLACEMENTS_READ = "placements:read"
    PLACEMENTS_WRITE = "placements:write"
    ADOPTIONS_READ = "adoptions:read"
    ADOPTIONS_WRITE = "adoptions:write"  # each step also names the role that may take it
    MISSING_READ = "missing:read"
    MISSING_WRITE = "missing:write"
    NIK_CHECK = "nik:check"
    USERS_MANAGE = "users:manage"
    AUDIT_READ = "audit:read"
    CERTIFICATES_READ = "certificates:read"
    CERTIFICATES_ISSUE = "certificates:issue"  # issue and revoke verifiable certificates
    IDENTITIES_READ = "identities:read"  # which records are the same person (linkage results)
    IDENTITIES_REVIEW = "identities:review"  # decide uncertain pairs: the same person or not
    FLAGS_READ = "flags:read"  # suspicious-pattern flags and their evidence (they name children's records)
    FLAGS_REVIEW = "flags:review"  # move a flag: under review, dismissed, escalated
    TIPS_READ = "tips:read"  # anonymous tips from the public portal (they may describe a child)
    TIPS_HANDLE = "tips:handle"  # ask a tipster a question, change a tip's status
    PHOTOS_ADD = "photos:add"  # attach a child's photo to a record (also needs the record's write right)
    PHOTOS_READ = "photos:read"  # see children's photos and their metadata
    FACES_REVIEW = "faces:review"  # run face matching and decide its candidates
    EVIDENCE_PACK = "evidence:pack"  # export a person's records with their proofs for court
    FIELD_DEVICES_MANAGE = "field:devices"  # enrol and revoke field offices' devices in one's region
    FIELD_SYNC = "field:sync"  # carry a field device's signed batch in (each event applies as its officer)
    FIELD_CONFLICTS_READ = "field:conflicts"  # the queue of field events held against central records
    FIELD_CONFLICTS_RESOLVE = "field:resolve"  # decide a held field event: apply it as recorded, or dismiss


A = Action
_CHILD_READS = {
    A.PEOPLE_READ,
    A.BIRTHS_READ,
    A.RELINQUISHMENTS_READ,
    A.PLACEMENTS_READ,
    A.ADOPTIONS_READ,
    A.CERTIFICATES_READ,
    A.IDENTITIES_READ,
}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.REGISTRAR: frozenset(
        {
            A.PEOPLE_READ,
            A.PEOPLE_WRITE,
            A.REFERENCE_READ,
            A.BIRTHS_READ,
            A.BIRTHS_RECORD,
            A.BIRTHS_REGISTER,
            A.ADOPTIONS_READ,
            A.ADOPTIONS_WRITE,
            A.NIK_CHECK,
            A.CERTIFICATES_READ,
            A.CERTIFICATES_ISSUE,
            A.IDENTITIES_READ,
            A.IDENTITIES_REVIEW,
            A.FIELD_SYNC,
            A.FIELD_CONFLICTS_READ,
            A.FIELD_CONFLICTS_RESOLVE,
        }
    ),
    Role.FACILITY: frozenset(
        {
            A.PEOPLE_READ,
            A.PEOPLE_WRITE,
            A.REFERENCE_READ,
            A.BIRTHS_READ,
            A.BIRTHS_RECORD,
            A.NIK_CHECK,
            A.FIELD_SYNC,
        }
    ),
    Role.SOCIAL_WORKER: frozenset(
        _CHILD_READS
        | {
            A.PEOPLE_WRITE,
            A.REFERENCE_READ,
            A.LICENCE_WRITE,
            A.RELINQUISHMENTS_WRITE,
            A.PLACEMENTS_WRITE,
            A.ADOPTIONS_WRITE,
            A.MISSING_READ,
            A.NIK_CHECK,
            A.IDENTITIES_REVIEW,
            A.FLAGS_READ,
            A.FLAGS_REVIEW,
            A.TIPS_READ,
            A.TIPS_HANDLE,
            A.PHOTOS_ADD,
            A.PHOTOS_READ,
            A.FACES_REVIEW,
            A.FIELD_SYNC,
            A.FIELD_CONFLICTS_READ,
            A.FIELD_CONFLICTS_RESOLVE,
        }
    ),
    Role.INSTITUTION: frozenset(
        {
            A.PHOTOS_ADD,
            A.PEOPLE_READ,
            A.PEOPLE_WRITE,
            A.REFERENCE_READ,
            A.RELINQUISHMENTS_READ,
            A.RELINQUISHMENTS_WRITE,
            A.PLACEMENTS_READ,
            A.PLACEMENTS_WRITE,
            A.NIK_CHECK,
            A.FIELD_SYNC,
        }
    ),
    Role.COURT: frozenset(_CHILD_READS | {A.REFERENCE_READ, A.ADOPTIONS_WRITE, A.NIK_CHECK, A.EVIDENCE_PACK}),
    Role.POLICE: frozenset(
        _CHILD_READS
        | {
            A.PEOPLE_WRITE,
            A.REFERENCE_READ,
            A.MISSING_READ,
            A.MISSING_WRITE,
            A.NIK_CHECK,
            A.IDENTITIES_REVIEW,
            A.FLAGS_READ,
            A.FLAGS_REVIEW,
            A.TIPS_READ,
            A.TIPS_HANDLE,
            A.PHOTOS_ADD,
            A.PHOTOS_READ,
            A.FACES_REVIEW,
            A.EVIDENCE_PACK,
            A.FIELD_SYNC,
        }
    ),
    # Flags go to investigators and oversight only: registrars, facilities and institutions are among
    # their subjects (a flag must not tip off the registrar or clinic it is about), courts hear the
    # evidence through a case, and admins read no child records. Tips follow flags: they may name a
    # clinic, a midwife or a registrar, and only those who investigate (and oversight, read-only) see them.
    Role.AUDITOR: frozenset(
        _CHILD_READS
        | {
            A.REFERENCE_READ,
            A.MISSING_READ,
            A.NIK_CHECK,
            A.AUDIT_READ,
            A.FLAGS_READ,
            A.TIPS_READ,
            A.PHOTOS_READ,
            A.FIELD_CONFLICTS_READ,
        }
    ),
    Role.ADMIN: frozenset(
        {
            A.REFERENCE_READ,
            A.REFERENCE_WRITE,
            A.LICENCE_WRITE,
            A.USERS_MANAGE,
            A.AUDIT_READ,
            A.NIK_CHECK,
            A.FIELD_DEVICES_MANAGE,
        }
    ),
}


# The roles whose accounts act as officials, and the official roles (`officials.role`) each may be bound
# to or may name: a registrar's account registers births, a court's takes the court ruling (its clerk
# or judge records it), a social worker's takes the social-service steps of an adoption.
OFFICIAL_ROLES: dict[Role, frozenset[str]] = {
    Role.REGISTRAR: frozenset({"registrar"}),
    Role.SOCIAL_WORKER: frozenset({"social_worker"}),
    Role.COURT: frozenset({"court_clerk", "judge"}),
    Role.POLICE: frozenset({"police_officer"}),
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: an authenticated principal, reduced to what the rules need.

    `official_ref` is set for an account bound to an official (it acts as that official, whose
    database id is `official_id`); `feed` names the agency system a feed account transcribes from.
    Neither is set for other accounts (see `jaga.access.models.AccountBinding`).
    """

    principal_id: int | None  # None for the server operator acting from the command line
    username: str
    role: Role
    region_scope: str  # "" = the whole country; otherwise a region code the actor is confined to
    official_id: int | None = None
    official_ref: str | None = None
    feed: str | None = None

    def can(self, action: Action) -> bool:
        return action in PERMISSIONS[self.role]

    def require(self, action: Action) -> None:
        """Raise RoleNotAllowed unless the role grants `action`."""
        if not self.can(action):
            allowed = sorted(r.value for r, actions in PERMISSIONS.items() if action in actions)
            raise RoleNotAllowed(
                f"role {self.role.value!r} may not {action.value}; allowed roles: {', '.join(allowed)}"
            )

    def require_region(self, region_code: str, *, what: str, given: bool = False) -> None:
        """Raise OutOfRegion unless `region_code` lies inside the actor's scope.

        The message names the region only when the actor `given` it (a region asked for, a scope to
        grant): an existing record's region is itself a fact about a child, and a refusal must not
        tell an officer of another region where the record lies."""
        if within(region_code, self.region_scope):
            return
        scope = format_code(self.region_scope)
        if given:
            raise OutOfRegion(f"{what} in region {format_code(region_code)} is outside your scope {scope}")
        raise OutOfRegion(f"{what} lies outside your scope {scope}")

    def require_in_region(self, action: Action, region_code: str, *, what: str) -> None:
        self.require(action)
        self.require_region(region_code, what=what)


OPERATOR = Actor(principal_id=None, username="operator", role=Role.ADMIN, region_scope="")
"""The server operator at the command line (database access implies it), for user management only."""
