"""The permission matrix as Markdown (`python -m jaga.access.docs > docs/access.md`); a test keeps the
committed page in sync with `PERMISSIONS`."""

from __future__ import annotations

from jaga.access.roles import OFFICIAL_ROLES, PERMISSIONS, Action, Role

INTRO = """# Access: roles, regions, tokens, audit

Generated from `jaga.access.roles.PERMISSIONS` (`python -m jaga.access.docs`).

Every API route and every command that touches registry data acts as an account: an API token
(`Authorization: Bearer jaga_...`, or `--token` / `JAGA_TOKEN` on the command line). Tokens are
stored as argon2id hashes only and shown once when issued. Each account has one role and a region
scope (a province, regency/city or district code; empty for the whole country). Deny by default: a
role may do exactly what this table lists, and only for records whose region lies inside its scope.

Every read of a personal record (people, births, relinquishments, placements, adoption cases,
missing-child reports) needs a `reason` and leaves an audit entry: who, what, when, why, and through
which route or command (`GET /api/v1/audit`, auditors and admins). Records handed back after a write
are audited too. `jaga users create|list|bind|revoke|token` manage accounts from the server's command
line. Region codes are shown in their written (dotted) form, `33.74`.
"""


def render_markdown() -> str:
    roles = list(Role)
    lines = [
        *INTRO.splitlines(),
        "| action | " + " | ".join(r.value for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for action in Action:
        marks = ["yes" if action in PERMISSIONS[r] else "" for r in roles]
        lines.append(f"| `{action.value}` | " + " | ".join(marks) + " |")
    lines += [
        "",
        "Adoption steps also name the role that takes each one (see docs/registry.md): social workers take",
        "all but the court ruling (court) and the civil-registry annotation (registrar).",
        "",
        *OFFICIALS.splitlines(),
    ]
    return "\n".join(lines) + "\n"


OFFICIALS = (
    """## Accounts that act as officials

A birth registration names its registrar, and an adoption step the official who took it. The accounts of
the roles that act as officials are bound to what they act as, once, and never changed (to change it,
revoke the account and create another). The official roles (`officials.role`) each may be bound to:

"""
    + "\n".join(f"- {role.value}: {', '.join(sorted(kinds))}" for role, kinds in OFFICIAL_ROLES.items())
    + """

- **Bound to an official** (`jaga users create NAME --role registrar --official O-...`, or
  `POST /api/v1/users` with `official_ref`). Its scope defaults to the official's region and may not
  reach beyond it. Its registrations and steps name that official without being told
  (`registrar_ref` / `official_ref` may be left out); naming another official is refused (403,
  "account ... acts as official O-1; it may not register births under official O-2"), and so is a
  registration or step outside the official's region (403).
- **A feed** (`--feed SIAK`, or `feed`): the account transcribes records from an agency's own system,
  where other officials acted. Each registration names its registrar (`registrar_ref` is required), who
  must hold the fitting official role and lie inside the account's scope, and the registration or case
  must lie inside that official's region. The demo's and the benchmarks' official accounts are feeds.
- **Unbound** (every account created before revision 0006, and new ones created without either): it
  reads and records what its role allows, but registers no birth and takes no adoption step until an
  administrator binds it: `jaga users bind NAME --official O-...` (or `--feed NAME`;
  `POST /api/v1/users/{username}/binding`). The refusal says so (403).

Other roles (facility, institution, auditor, admin) act as no official and cannot be bound. A binding
is a ledgered record of its own (`account_bindings`, event `account_binding.created`).
"""
)


if __name__ == "__main__":
    print(render_markdown(), end="")
