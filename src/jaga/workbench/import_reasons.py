"""The importer's reasons in Bahasa Indonesia, for the import page and its rejects file.

The importer reports in English (its report file and `jaga import` stay English). A reason is one of:
a message of the import file reader, of the schemas' field checks or of the record warnings (the table
below), one of jaga's services (`jaga.web.translations` knows their templates), or one of pydantic's
(matched by pydantic's English wording, since the importer keeps the text, not pydantic's error type).
A reason none of them knows is shown in English after a note saying so, like the API's problem details.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from jaga.registry import RowProblem
from jaga.web import translations

FALLBACK = "(rincian dalam bahasa Inggris) "

# English template -> Indonesian; `{x}` matches any text and is carried over, translated by PARTS when
# its name is in _PARTS ("; "-separated lists in _LISTS are translated item by item).
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
    ("the header line is not valid CSV: {detail}", "baris judul bukan CSV yang sah: {detail}"),
    (
        "file {name} has no header line; expected columns: {columns}",
        "berkas {name} tidak memiliki baris judul; kolom yang diharapkan: {columns}",
    ),
    ("file {name} has no data rows", "berkas {name} tidak memiliki baris data"),
    ("{problems} (columns of this kind: {columns})", "{problems} (kolom jenis data ini: {columns})"),
    # field checks of the registry's schemas (jaga.registry.schemas.types) and NIK decoding (jaga.nik)
    (
        "is before {date}: not a plausible date for this registry",
        "sebelum {date}: bukan tanggal yang masuk akal untuk registri ini",
    ),
    ("family card (KK) number must be exactly {n} digits", "nomor kartu keluarga (KK) harus tepat {n} angka"),
    ("NIP must be exactly {n} digits", "NIP harus tepat {n} angka"),
    ("invalid NIK: {problems}", "NIK tidak sah: {problems}"),
    # warnings (jaga.registry.record_warnings): the row is written
    ("the NIK encodes {encoded}, the record says {said}", "NIK menunjukkan {encoded}, data menyebut {said}"),
    (
        "the NIK's date of birth differs from the record's {field} (day and month swapped)",
        "tanggal lahir pada NIK berbeda dengan {field} pada data (tanggal dan bulan tertukar)",
    ),
    (
        "the NIK's date of birth differs from the record's {field}",
        "tanggal lahir pada NIK berbeda dengan {field} pada data",
    ),
    (
        "no consent document: the parents' written consent is required before the child can be adopted "
        "(PP 54/2007 art. 13)",
        "tidak ada dokumen persetujuan: persetujuan tertulis orang tua wajib ada sebelum anak dapat diangkat "
        "(PP 54/2007 pasal 13)",
    ),
    (
        "no counselling recorded: a social worker is expected to counsel the mother before she gives up "
        "her child (the social worker's report, PP 54/2007 art. 13)",
        "tidak ada konseling yang tercatat: pekerja sosial semestinya memberi konseling kepada ibu sebelum "
        "ia menyerahkan anaknya (laporan pekerja sosial, PP 54/2007 pasal 13)",
    ),
    ("{n} of {m} witnesses named", "{n} dari {m} saksi disebutkan"),
    (
        "dated {days} before the birth date on the child's record",
        "bertanggal {days} sebelum tanggal lahir pada data anak",
    ),
    (
        "given up {days} after the child's birth (within the first {n} days)",
        "diserahkan {days} setelah kelahiran anak (dalam {n} hari pertama)",
    ),
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

# Pieces of the messages above: where in the file, the parts of a list of problems, NIK problems.
PARTS: tuple[tuple[str, str], ...] = (
    ("in the header line", "pada baris judul"),
    ("after data row {n}", "setelah baris data {n}"),
    ("after line {n}", "setelah baris {n}"),
    ("duplicate column(s): {names}", "kolom ganda: {names}"),
    ("unknown column(s): {names}", "kolom tidak dikenal: {names}"),
    ("missing required column(s): {names}", "kolom wajib tidak ada: {names}"),
    ("must contain digits only", "hanya boleh berisi angka"),
    ("has {n} digits, expected {m}", "berisi {n} angka, seharusnya {m}"),
    ("province code {code} does not exist", "kode provinsi {code} tidak ada"),
    ("regency/city code {code} does not exist", "kode kabupaten/kota {code} tidak ada"),
    ("district code {code} does not exist", "kode kecamatan {code} tidak ada"),
    (
        "day field {n} is neither 01-31 (male) nor 41-71 (female)",
        "angka tanggal {n} bukan 01-31 (laki-laki) maupun 41-71 (perempuan)",
    ),
    ("month field {n} is not 01-12", "angka bulan {n} bukan 01-12"),
    (
        "serial 0000 is not issued (serials start at 0001)",
        "nomor urut 0000 tidak pernah diterbitkan (nomor urut mulai dari 0001)",
    ),
    ("the date of birth it encodes does not exist", "tanggal lahir yang dikandungnya tidak ada"),
    ("the date of birth it encodes is in the future", "tanggal lahir yang dikandungnya berada di masa depan"),
    ("female (day + 40)", "perempuan (tanggal + 40)"),
    ("male (day as is)", "laki-laki (tanggal apa adanya)"),
    ("female", "perempuan"),
    ("male", "laki-laki"),
    ("{n} days", "{n} hari"),
    ("{n} day", "{n} hari"),
)
_PARTS = {"where", "problems", "encoded", "said", "days"}
_LISTS = {"problems"}


def _pattern(english: str) -> re.Pattern[str]:
    pattern = "".join(
        f"(?P<{part[1:-1]}>.*?)" if part.startswith("{") else re.escape(part)
        for part in re.split(r"(\{[a-z_]+\})", english)
        if part
    )
    return re.compile(f"^{pattern}$", re.DOTALL)


@cache
def _compiled(table: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple(
        (_pattern(english), indonesian) for english, indonesian in {"reader": READER, "parts": PARTS}[table]
    )


def _match(message: str, table: str) -> str | None:
    for pattern, indonesian in _compiled(table):
        match = pattern.match(message)
        if match is None:
            continue
        values = {}
        for name, value in match.groupdict().items():
            if name in _LISTS:
                value = "; ".join(_part(item) for item in value.split("; "))
            elif name in _PARTS:
                value = _part(value)
            elif name == "expected":  # pydantic's "'F' or 'M'"
                value = value.replace(" or ", " atau ")
            values[name] = value
        return indonesian.format(**values)
    return None


def _part(text: str) -> str:
    return _match(text, "parts") or _known(text) or text


def _known(message: str) -> str | None:
    found = _match(message, "reader") or translations.translate(message)
    if found is not None:
        return found
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
