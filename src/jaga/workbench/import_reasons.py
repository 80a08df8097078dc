"""The importer's reasons in Bahasa Indonesia, for the import page and its rejects file.

The importer reports in English (its report file and `jaga import` stay English). A reason is one of:
a message of jaga's own services and validators (`jaga.web.translations` knows their templates), a
message of the import file reader (below), or one of pydantic's (matched by pydantic's English wording,
since the importer keeps the text, not pydantic's error type). A reason none of them knows is shown in
English after a note saying so, like the API's problem details.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from jaga.registry import RowProblem
from jaga.web import translations

FALLBACK = "(rincian dalam bahasa Inggris) "

# English template -> Indonesian; `{x}` matches any text and is carried over (translated when it is
# itself a reason or a place in the file: see _NESTED).
READER: tuple[tuple[str, str], ...] = (
    ("is required", "wajib diisi"),
    ("not valid CSV: {detail}", "bukan CSV yang sah: {detail}"),
    (
        "has {found} fields but the header has {expected}",
        "berisi {found} kolom, baris judul berisi {expected}",
    ),
    ("not valid JSON ({detail} at column {column})", "bukan JSON yang sah ({detail} pada kolom {column})"),
    ("nested too deeply to be a record of this kind", "bersarang terlalu dalam untuk data jenis ini"),
    (
        "holds a number too long to be any field's value",
        "memuat angka yang terlalu panjang untuk kolom mana pun",
    ),
    ("each line must be a JSON object", "setiap baris harus berupa objek JSON"),
    ("unknown field(s): {names}", "kolom tidak dikenal: {names}"),
    ("file {name} is empty; expected a header line", "berkas {name} kosong; seharusnya diawali baris judul"),
    ("file {name} is empty; expected JSON objects", "berkas {name} kosong; seharusnya berisi objek JSON"),
    (
        "the file is not UTF-8 text ({where}); save it as UTF-8 (in a spreadsheet: CSV UTF-8) and retry",
        "berkas bukan teks UTF-8 ({where}); simpan sebagai UTF-8 (di program lembar kerja: CSV UTF-8) lalu "
        "coba lagi",
    ),
    ("in the header line", "pada baris judul"),
    ("after data row {n}", "setelah baris data {n}"),
    ("after line {n}", "setelah baris {n}"),
    ("the header line is not valid CSV: {detail}", "baris judul bukan CSV yang sah: {detail}"),
    (
        "file {name} has no header line; expected columns: {columns}",
        "berkas {name} tidak memiliki baris judul; kolom yang diharapkan: {columns}",
    ),
    ("file {name} has no data rows", "berkas {name} tidak memiliki baris data"),
    ("{problems} (columns of this kind: {columns})", "{problems} (kolom jenis data ini: {columns})"),
    ("duplicate column(s): {names}", "kolom ganda: {names}"),
    ("unknown column(s): {names}", "kolom tidak dikenal: {names}"),
    ("missing required column(s): {names}", "kolom wajib tidak ada: {names}"),
    # pydantic's own wording (pydantic_core's error messages), by error type
    ("Field required", "wajib diisi"),
    ("Extra inputs are not permitted", "kolom tidak dikenal"),
    ("Input should be a valid string", "harus berupa teks"),
    ("String should have at least {n} character", "minimal {n} karakter"),
    ("String should have at least {n} characters", "minimal {n} karakter"),
    ("String should have at most {n} character", "maksimal {n} karakter"),
    ("String should have at most {n} characters", "maksimal {n} karakter"),
    ("String should match pattern '{pattern}'", "tidak sesuai pola '{pattern}'"),
    ("Input should be a valid integer{detail}", "harus berupa bilangan bulat"),
    ("Input should be a valid number{detail}", "harus berupa angka"),
    ("Input should be a valid boolean{detail}", "harus true atau false"),
    ("Input should be a valid date{detail}", "tanggal harus ditulis YYYY-MM-DD"),
    ("Input should be a valid list", "harus berupa daftar"),
    ("Input should be a valid dictionary{detail}", "harus berupa objek JSON"),
    ("Input should be greater than or equal to {n}", "harus paling sedikit {n}"),
    ("Input should be less than or equal to {n}", "harus paling banyak {n}"),
    ("Input should be greater than {n}", "harus lebih dari {n}"),
    ("Input should be less than {n}", "harus kurang dari {n}"),
    ("List should have at most {n} item{detail}", "paling banyak {n} butir"),
    ("List should have at least {n} item{detail}", "paling sedikit {n} butir"),
    ("Input should be {expected}", "harus salah satu dari: {expected}"),
)
_NESTED = {"where", "problems"}  # values that are themselves messages of this table
_LISTS = {"problems"}  # "; "-separated messages


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    compiled = []
    for english, indonesian in READER:
        pattern = "".join(
            f"(?P<{part[1:-1]}>.*?)" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{[a-z_]+\})", english)
            if part
        )
        compiled.append((re.compile(f"^{pattern}$", re.DOTALL), indonesian))
    return tuple(compiled)


def _known(message: str) -> str | None:
    found = translations.translate(message)
    if found is not None:
        return found
    for pattern, indonesian in _compiled():
        match = pattern.match(message)
        if match is None:
            continue
        values = {}
        for name, value in match.groupdict().items():
            if name in _LISTS:
                value = "; ".join(_known(v) or v for v in value.split("; "))
            elif name in _NESTED:
                value = _known(value) or value
            elif name == "expected":  # pydantic's "'F' or 'M'"
                value = value.replace(" or ", " atau ")
            values[name] = value
        return indonesian.format(**values)
    # a nested field's reason comes as "<where>: <reason>" (e.g. "documents.0.kind: ...")
    where, separator, rest = message.partition(": ")
    if separator and re.fullmatch(r"[\w.]+", where):
        inner = _known(rest)
        if inner is not None:
            return f"{where}: {inner}"
    return None


def reason(message: str, language: str) -> str:
    """An importer's message (a row's reason, or a whole file's problem) in `language`."""
    if language != "id":
        return message
    return _known(message) or FALLBACK + message


def describer(language: str) -> Callable[[RowProblem], str]:
    """The rejects file's wording of a row problem in `language` (see `run_import(describe=...)`)."""

    def describe(problem: RowProblem) -> str:
        where = problem.field or ("baris" if language == "id" else "row")
        return f"{where}: {reason(problem.reason, language)}"

    return describe
