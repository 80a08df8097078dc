"""Where the demo lives, how a rerun may replace it, and what it hands over to the command line.

The demo's folder is a complete data folder: `jaga.db`, `keys/`, `certificates/`, `report.html`, in the
layout every command expects under `JAGA_DATA_DIR`. So `export JAGA_DATA_DIR=data/demo` is all it takes
for the README's commands to act on the demo. A marker file tells a demo folder from anything else: a
rerun replaces only a folder the demo made, and only when the user agrees (the keys, the database and
every token change).
"""

from __future__ import annotations

import shlex
from pathlib import Path

from jaga.errors import Conflict
from jaga.files import atomic_write

MARKER = ".jaga-demo"
ENV_FILE = "demo.env"


def demo_folder(data_dir: Path) -> Path:
    """`data_dir/demo`, or `data_dir` itself when it already is a demo folder (JAGA_DATA_DIR=data/demo)."""
    return data_dir if (data_dir / MARKER).exists() else data_dir / "demo"


def holds_a_demo(folder: Path) -> bool:
    """True if `folder` holds a previous demo (which a rerun replaces); Conflict if it holds anything
    else, which the demo never deletes."""
    if not folder.exists() or not any(folder.iterdir()):
        return False
    if not (folder / MARKER).exists():
        raise Conflict(
            f"{folder} exists and was not made by `jaga demo`; move it away or set JAGA_DATA_DIR elsewhere"
        )
    return True


def replace_refused(folder: Path) -> Conflict:
    return Conflict(
        f"{folder} holds the previous demo; a rerun deletes it (database, keys, certificates, report) and "
        "every demo token changes: pass --yes to go ahead"
    )


def write_env(
    folder: Path, tokens: dict[str, str], samples: dict[str, str], passwords: dict[str, str] | None = None
) -> Path:
    """`demo.env`: shell variables for the README's commands (`. data/demo/demo.env`): a token per demo
    account and a few sample records. Demo accounts on synthetic data only; 0600 like every demo file."""
    lines = [
        "# Written by `jaga demo`: its accounts' API tokens and sample records, as shell variables.",
        f"# Load them with:  . {folder / ENV_FILE}     then e.g.  export JAGA_TOKEN=$DEMO_REGISTRAR_TOKEN",
        *(f"DEMO_{role.upper()}_TOKEN={shlex.quote(token)}" for role, token in tokens.items()),
        *(
            f"DEMO_{user.removeprefix('demo-').replace('-', '_').upper()}_PASSWORD={shlex.quote(password)}"
            for user, password in (passwords or {}).items()
        ),
        *(f"DEMO_{name.upper()}={shlex.quote(value)}" for name, value in samples.items()),
    ]
    path = folder / ENV_FILE
    atomic_write(path, "\n".join(lines) + "\n")
    return path
