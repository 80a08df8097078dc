"""`jaga nik check`: decode a NIK and check it against the facts given."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer

from jaga.cli_support import console, err_console
from jaga.nik.check import check_nik
from jaga.nik.decode import Sex
from jaga.regions import load_directory

app = typer.Typer(help="NIK (population number) tools.", no_args_is_help=True)


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter("expected YYYY-MM-DD") from exc


@app.command()
def check(
    nik: Annotated[str, typer.Argument(help="the 16-digit NIK")],
    birth_date: Annotated[
        str | None, typer.Option("--birth-date", help="claimed date of birth, YYYY-MM-DD")
    ] = None,
    sex: Annotated[Sex | None, typer.Option("--sex", help="claimed sex, F or M")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Decode NIK: region of issue, date of birth, sex (day + 40 for women). Exit 0 if valid and consistent
    with the facts given, 3 otherwise, naming every problem."""
    result = check_nik(
        nik, directory=load_directory(), today=date.today(), birth_date=_parse_date(birth_date), sex=sex
    )
    if as_json:
        console.print_json(
            json.dumps(
                {
                    "valid": result.valid,
                    "consistent": result.consistent,
                    "decoded": result.decoded.as_dict() if result.decoded else None,
                    "problems": result.problems,
                    "inconsistencies": result.inconsistencies,
                }
            )
        )
    elif result.decoded is not None:
        for key, value in result.decoded.as_dict().items():
            console.print(f"{key:>20}: {value}", highlight=False)
    for problem in result.problems:
        err_console.print(f"invalid: {problem}", highlight=False)
    for problem in result.inconsistencies:
        err_console.print(f"inconsistent: {problem}", highlight=False)
    if not result.consistent:
        raise typer.Exit(3)
