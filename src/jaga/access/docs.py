"""The permission matrix as Markdown (`python -m jaga.access.docs > docs/access.md`); a test keeps the
committed page in sync with `PERMISSIONS`."""

from __future__ import annotations

from jaga.access.roles import PERMISSIONS, Action, Role

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
are audited too. `jaga users create|list|revoke|token` manage accounts from the server's command line.
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
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render_markdown(), end="")
