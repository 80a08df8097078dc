"""Problem details in Bahasa Indonesia (`Accept-Language: id`); English stays the API's default.

Each error class gives its own title in both languages (`title`, `title_id` in jaga.errors), and the
classes that build their message from parts give the Indonesian one too (`message_id`). Messages the
services raise as text are translated here from a catalog of their English templates, the way a
gettext catalog keys translations by the English text: `{name}` in a template matches any value and is
carried over (record kinds translated). A message the catalog does not know is shown in English after
an Indonesian note saying so. Machine-readable members (`type`, `status`, extensions) never change with
the language; only `title` and `detail` do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from jaga.errors import KIND_LABELS_ID, InvalidNik, JagaError, RecordRejected

LANGUAGES = ("en", "id")
DEFAULT = "en"


def negotiate(accept_language: str | None) -> str:
    """`id` or `en` from an Accept-Language header (RFC 9110 §12.5.4), by quality; `en` when neither."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        primary = "id" if primary == "in" else primary  # "in": Indonesian's withdrawn ISO 639 code
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else DEFAULT


# English template -> Indonesian. `{x}` matches any text; values are carried over, record kinds
# (`{kind}`, `{what}`) translated. Keep each template exactly as its raiser writes the message.
CATALOG: tuple[tuple[str, str], ...] = (
    # access
    (
        "an API token is required (Authorization: Bearer jaga_...)",
        "diperlukan token API (Authorization: Bearer jaga_...)",
    ),
    ("the API token is malformed", "format token API salah"),
    ("the API token is not recognised", "token API tidak dikenal"),
    ("the API token has been revoked", "token API sudah dicabut"),
    (
        "role {role} may not {action}; allowed roles: {allowed}",
        "peran {role} tidak boleh {action}; peran yang boleh: {allowed}",
    ),
    ("{what} lies outside your scope {scope}", "{what} berada di luar wilayah kewenangan Anda {scope}"),
    (
        "{what} in region {region} is outside your scope {scope}",
        "{what} di wilayah {region} berada di luar wilayah kewenangan Anda {scope}",
    ),
    (
        "a reason for reading personal records is required (at least {n} characters, e.g. a case number); "
        "it is kept in the audit trail",
        "alasan membaca data pribadi wajib diisi (minimal {n} karakter, misalnya nomor perkara); "
        "alasan disimpan dalam jejak audit",
    ),
    ("username {username} is taken", "nama pengguna {username} sudah dipakai"),
    ("account {username} is revoked", "akun {username} sudah dicabut"),
    (
        "username must be 3-64 characters: lowercase letters, digits, '.', '_' or '-'",
        "nama pengguna harus 3-64 karakter: huruf kecil, angka, '.', '_' atau '-'",
    ),
    (
        "region scope must be a province, regency/city or district, not a village",
        "wilayah kewenangan harus provinsi, kabupaten/kota atau kecamatan, bukan desa",
    ),
    # reads
    ("cursor is not one this API returned", "cursor bukan yang diberikan API ini"),
    ("limit must be between 1 and {max}", "limit harus antara 1 dan {max}"),
    ("unknown filter {name}; known: {known}", "filter {name} tidak dikenal; yang dikenal: {known}"),
    ("{kind} records have no date to filter by", "data {kind} tidak memiliki tanggal untuk disaring"),
    ("region: {problem}", "wilayah: {problem}"),
    # registry rows and actions
    ("no {kind} with ref {ref}", "tidak ada {kind} dengan nomor {ref}"),
    (
        "is required (your account covers the whole country)",
        "wajib diisi (akun Anda mencakup seluruh negeri)",
    ),
    ("this NIK is already recorded by the same source", "NIK ini sudah dicatat oleh sumber yang sama"),
    ("{label} {value} is already in use", "{label} {value} sudah digunakan"),
    (
        "institution {ref} has no licence number; register the licence first",
        "lembaga {ref} tidak memiliki nomor izin; daftarkan izinnya terlebih dahulu",
    ),
    (
        "licence_valid_until is before the licence's licence_valid_from",
        "licence_valid_until lebih awal daripada licence_valid_from izin tersebut",
    ),
    ("placement {ref} has already ended", "penempatan {ref} sudah berakhir"),
    (
        "placement {ref}: to_date is before from_date",
        "penempatan {ref}: to_date lebih awal daripada from_date",
    ),
    (
        "missing-child report {ref}: changed_on is before the child was last seen",
        "laporan anak hilang {ref}: changed_on lebih awal daripada saat anak terakhir terlihat",
    ),
    ("birth {ref} is already registered", "kelahiran {ref} sudah dicatatkan"),
    ("official {ref} is not a registrar", "pejabat {ref} bukan petugas pencatatan sipil"),
    ("person {ref} already has a birth record", "orang {ref} sudah memiliki data kelahiran"),
    ("ref {ref} is already in use", "nomor {ref} sudah digunakan"),
    ("is before the birth", "lebih awal daripada kelahiran"),
    ("mother and child are the same record", "ibu dan anak adalah data yang sama"),
    # rules of the input schemas across fields (jaga.registry.schemas)
    (
        "place_region_code is required when no facility_ref is given",
        "place_region_code wajib diisi bila facility_ref tidak diisi",
    ),
    ("place_kind 'facility' needs facility_ref", "place_kind 'facility' memerlukan facility_ref"),
    ("birth_evidence 'skl' needs skl_number", "birth_evidence 'skl' memerlukan skl_number"),
    (
        "civil registration needs akta_number and registered_on together",
        "pencatatan sipil memerlukan akta_number dan registered_on bersama-sama",
    ),
    ("an institution placement needs institution_ref", "pengasuhan di lembaga memerlukan institution_ref"),
    ("a {kind} placement needs carer_ref", "pengasuhan {kind} memerlukan carer_ref"),
    ("the adoption case is about another child", "perkara pengangkatan anak itu mengenai anak lain"),
    # regions
    ("region code {code}: no {level} {part}", "kode wilayah {code}: tidak ada {level} {part}"),
    (
        "region code {code}: village type digit must be 1, 2 or 3",
        "kode wilayah {code}: digit jenis desa harus 1, 2 atau 3",
    ),
    ("region code {code} is not a known {level}", "kode wilayah {code} bukan {level} yang dikenal"),
    (
        "region code {code} is a former code; the region is now {current}",
        "kode wilayah {code} adalah kode lama; wilayah itu kini {current}",
    ),
    # adoption workflow
    (
        "case {case} is closed ({status}); no further steps can be taken",
        "perkara {case} sudah ditutup ({status}); tidak ada tahap lanjutan yang dapat dicatat",
    ),
    (
        "case {case}: step {step} applies to intercountry cases only",
        "perkara {case}: tahap {step} hanya berlaku untuk pengangkatan antarnegara",
    ),
    (
        "case {case}: step {step} must be recorded by role {role}, not {other}",
        "perkara {case}: tahap {step} harus dicatat oleh peran {role}, bukan {other}",
    ),
    ("case {case}: step {step} is already recorded", "perkara {case}: tahap {step} sudah dicatat"),
    (
        "case {case}: a {status} case cannot be withdrawn",
        "perkara {case}: perkara berstatus {status} tidak dapat ditarik",
    ),
    (
        "case {case}: step {step} is dated before the already recorded step {other}",
        "perkara {case}: tanggal tahap {step} lebih awal daripada tahap {other} yang sudah dicatat",
    ),
    # certificates, flags, linkage
    (
        "a revocation needs a reason of 4-200 characters (e.g. a court order number)",
        "pencabutan memerlukan alasan 4-200 karakter (misalnya nomor putusan pengadilan)",
    ),
    ("certificate {ref} is already revoked", "sertifikat {ref} sudah dicabut"),
    (
        "event seq {seq} is not in the log yet; it is added within seconds by the sequencer "
        "(`jaga ledger integrate`)",
        "peristiwa seq {seq} belum masuk log; sequencer menambahkannya dalam hitungan detik "
        "(`jaga ledger integrate`)",
    ),
    ("a note holds at most {n} characters", "catatan paling banyak {n} karakter"),
    (
        "moving a flag to {status} needs a note saying why",
        "memindahkan tanda ke {status} memerlukan catatan alasannya",
    ),
    ("flag {flag} is already {status}", "tanda {flag} sudah berstatus {status}"),
    ("this pair is already decided as {verdict}", "pasangan ini sudah diputuskan sebagai {verdict}"),
    # field reasons of our own validators
    ("must contain letters", "harus mengandung huruf"),
    ("contains control characters", "mengandung karakter kontrol"),
    ("expected a date written YYYY-MM-DD", "tanggal harus ditulis YYYY-MM-DD"),
    (
        "expected a time written HH:MM (24-hour, local time)",
        "waktu harus ditulis HH:MM (24 jam, waktu setempat)",
    ),
    ("is in the future", "berada di masa depan"),
    ("not a real date ({reason})", "bukan tanggal yang ada ({reason})"),
    ("not a real time ({reason})", "bukan waktu yang ada ({reason})"),
    ("{field} contains a NUL character", "{field} mengandung karakter NUL"),
    ("region code is empty", "kode wilayah kosong"),
    ("region code must contain only digits and dots", "kode wilayah hanya boleh berisi angka dan titik"),
    ("region code must be text such as 33.74.01", "kode wilayah harus berupa teks seperti 33.74.01"),
    (
        "region code must be text (leading zeros matter)",
        "kode wilayah harus berupa teks (nol di depan berarti)",
    ),
    ("NIK must be exactly 16 digits", "NIK harus tepat 16 angka"),
    ("invalid NIK: {problems}", "NIK tidak sah: {problems}"),
    # NIK problems (jaga.nik.decode) and disagreements with the facts given (jaga.nik.check)
    ("must contain digits only", "hanya boleh berisi angka"),
    ("has {n} digits, expected {m}", "berisi {n} angka, seharusnya {m}"),
    ("province code {code} does not exist", "kode provinsi {code} tidak ada"),
    ("regency/city code {code} does not exist", "kode kabupaten/kota {code} tidak ada"),
    ("district code {code} does not exist", "kode kecamatan {code} tidak ada"),
    (
        "day field {day} is neither 01-31 (male) nor 41-71 (female)",
        "bagian tanggal {day} bukan 01-31 (laki-laki) maupun 41-71 (perempuan)",
    ),
    ("month field {month} is not 01-12", "bagian bulan {month} bukan 01-12"),
    (
        "serial 0000 is not issued (serials start at 0001)",
        "nomor urut 0000 tidak pernah diterbitkan (nomor urut dimulai dari 0001)",
    ),
    ("the date of birth it encodes does not exist", "tanggal lahir yang dikandungnya tidak ada"),
    ("the date of birth it encodes is in the future", "tanggal lahir yang dikandungnya di masa depan"),
    (
        "the NIK's date of birth differs from the given birth date (day and month swapped)",
        "tanggal lahir dalam NIK berbeda dengan tanggal lahir yang diisi (tanggal dan bulan tertukar)",
    ),
    (
        "the NIK's date of birth differs from the given birth date",
        "tanggal lahir dalam NIK berbeda dengan tanggal lahir yang diisi",
    ),
    (
        "the NIK marks sex F (day + 40) but the given sex is M",
        "NIK menandai perempuan (tanggal + 40) tetapi jenis kelamin yang diisi laki-laki",
    ),
    (
        "the NIK marks sex M (day as is) but the given sex is F",
        "NIK menandai laki-laki (tanggal apa adanya) tetapi jenis kelamin yang diisi perempuan",
    ),
    # evidence packs (jaga.evidence)
    (
        "give exactly one of person_ref, case_ref and flag_id",
        "isi tepat satu dari person_ref, case_ref dan flag_id",
    ),
    (
        "recipient {number} is not an age X25519 public key (age1...)",
        "penerima {number} bukan kunci publik age X25519 (age1...)",
    ),
    (
        "the log has no signed checkpoint yet; run `jaga ledger integrate` before packing",
        "log belum memiliki checkpoint bertanda tangan; "
        "jalankan `jaga ledger integrate` sebelum menyusun paket",
    ),
    (
        "encrypting evidence packs needs pyrage (pip install pyrage)",
        "enkripsi paket bukti memerlukan pyrage (pip install pyrage)",
    ),
    (
        "not every event of this pack is in a checkpoint that {trust} verifies ({why}); push the latest "
        "checkpoint to the witnesses (`jaga ledger witness-push`) and pack again",
        "tidak setiap peristiwa paket ini berada dalam checkpoint yang diverifikasi oleh {trust} ({why}); "
        "kirim checkpoint terbaru ke saksi (`jaga ledger witness-push`) lalu susun paket lagi",
    ),
    (
        "the registry made no evidence pack whose manifest SHA-256 is {digest}",
        "registri tidak pernah menyusun paket bukti dengan SHA-256 manifest {digest}",
    ),
    (
        "from_size must be the pack's latest checkpoint size, below its packing event's seq {seq}",
        "from_size harus berupa ukuran checkpoint terakhir paket, di bawah seq peristiwa pengemasannya {seq}",
    ),
    (
        "the packing event of pack #{pack} (seq {seq}) is not in the log yet; the sequencer adds it "
        "within seconds (`jaga ledger integrate`)",
        "peristiwa pengemasan paket #{pack} (seq {seq}) belum masuk log; sequencer menambahkannya dalam "
        "hitungan detik (`jaga ledger integrate`)",
    ),
    (
        "a seal rests on a witnessed checkpoint, and the server trusts no witness "
        "(JAGA_WITNESS_VKEYS, JAGA_WITNESS_POLICY)",
        "segel bertumpu pada checkpoint yang disaksikan, dan server tidak memercayai saksi mana pun "
        "(JAGA_WITNESS_VKEYS, JAGA_WITNESS_POLICY)",
    ),
    (
        "no checkpoint holding the packing event (seq {seq}) is cosigned as {trust} requires ({closest}); "
        "push the latest checkpoint to the witnesses (`jaga ledger witness-push`) and seal again",
        "belum ada checkpoint yang memuat peristiwa pengemasan (seq {seq}) dan ditandatangani bersama "
        "sesuai {trust} ({closest}); kirim checkpoint terbaru ke saksi (`jaga ledger witness-push`) lalu "
        "segel lagi",
    ),
    # field offices (jaga.field): batches, devices, chains, conflicts
    ("the batch is not UTF-8 text", "paket bukan teks UTF-8"),
    ("the batch is empty: expected a header line", "paket kosong: seharusnya ada baris header"),
    (
        "line {line}: not a {format} version {version} header",
        "baris {line}: bukan header {format} versi {version}",
    ),
    ("line {line}: the header names no device", "baris {line}: header tidak menyebut perangkat"),
    (
        "line {line}: the header's event count must be 0 to {most}",
        "baris {line}: jumlah peristiwa dalam header harus 0 sampai {most}",
    ),
    (
        "the header announces {count} event(s) but the batch holds {found}",
        "header menyebut {count} peristiwa tetapi paket berisi {found}",
    ),
    (
        "line {line}: expected an object with envelope and signature (text)",
        "baris {line}: seharusnya objek berisi envelope dan signature (teks)",
    ),
    ("line {line}: not JSON", "baris {line}: bukan JSON"),
    ("line {line}: not a JSON object", "baris {line}: bukan objek JSON"),
    ("event {position}: the envelope is not JSON", "peristiwa {position}: amplopnya bukan JSON"),
    (
        "event {position}: not a version-{version} field event envelope",
        "peristiwa {position}: bukan amplop peristiwa lapangan versi {version}",
    ),
    (
        "event {position}: the envelope is not in canonical form",
        "peristiwa {position}: amplop tidak dalam bentuk kanonik",
    ),
    (
        "event {position}: malformed envelope field ({problem})",
        "peristiwa {position}: isian amplop salah bentuk ({problem})",
    ),
    (
        "event {position}: the event id is not a lower-case UUID",
        "peristiwa {position}: id peristiwa bukan UUID huruf kecil",
    ),
    (
        "event {position} ({event_id}): the signature is not base64",
        "peristiwa {position} ({event_id}): tanda tangan bukan base64",
    ),
    (
        "event {position} ({event_id}): the signature does not verify with the device's enrolled key",
        "peristiwa {position} ({event_id}): tanda tangan tidak cocok dengan kunci perangkat yang terdaftar",
    ),
    ("device {device} is not enrolled on this server", "perangkat {device} belum didaftarkan di server ini"),
    ("not written: the batch was refused", "tidak ditulis: paket ditolak"),
    (
        "device {device} was revoked on {day}; its batches are refused",
        "perangkat {device} dicabut pada {day}; paketnya ditolak",
    ),
    (
        "event {position} ({event_id}): signed as device {signer}, in a batch of {device}",
        "peristiwa {position} ({event_id}): ditandatangani sebagai perangkat {signer}, dalam paket {device}",
    ),
    (
        "event {position} ({event_id}): at chain position {seq} after position {before}: events are "
        "missing or "
        "out of order",
        "peristiwa {position} ({event_id}): di posisi rantai {seq} setelah posisi {before}: ada "
        "peristiwa yang "
        "hilang atau tertukar urutannya",
    ),
    (
        "event {position} ({event_id}): does not name the previous event's hash (reordered or altered)",
        "peristiwa {position} ({event_id}): tidak menyebut hash peristiwa sebelumnya (urutan ditukar "
        "atau isi "
        "diubah)",
    ),
    (
        "event {position} ({event_id}): created before the event it follows (back-dated)",
        "peristiwa {position} ({event_id}): dibuat sebelum peristiwa yang mendahuluinya (tanggal "
        "dimundurkan)",
    ),
    (
        "event {position} ({event_id}): the first event of a chain must name no predecessor",
        "peristiwa {position} ({event_id}): peristiwa pertama dalam rantai tidak boleh menyebut pendahulu",
    ),
    (
        "event {position} ({event_id}): the server holds event {other} at position {seq} of device "
        "{device}'s "
        "chain (a fork)",
        "peristiwa {position} ({event_id}): server menyimpan peristiwa {other} di posisi {seq} "
        "rantai perangkat "
        "{device} (rantai bercabang)",
    ),
    (
        "{count} event id(s) already held with other content ({ids}); both versions are kept for review, "
        "nothing else in the batch was written",
        "{count} id peristiwa sudah tersimpan dengan isi lain ({ids}); kedua versi disimpan untuk ditinjau, "
        "isi paket lainnya tidak disimpan",
    ),
    (
        "event {position} ({event_id}): at chain position {seq}, but the server holds device "
        "{device}'s chain "
        "up to position {held}: events are missing",
        "peristiwa {position} ({event_id}): di posisi rantai {seq}, tetapi server menyimpan rantai perangkat "
        "{device} sampai posisi {held}: ada peristiwa yang hilang",
    ),
    (
        "event {position} ({event_id}): does not follow the last event the server holds for this device",
        "peristiwa {position} ({event_id}): tidak menyambung peristiwa terakhir yang disimpan server untuk "
        "perangkat ini",
    ),
    (
        "batch from device {device} refused: {count} of {total} new event(s) refused (first: event "
        "{position}, "
        "{reason}); nothing was written",
        "paket dari perangkat {device} ditolak: {count} dari {total} peristiwa baru ditolak "
        "(pertama: peristiwa "
        "{position}, {reason}); tidak ada yang disimpan",
    ),
    (
        "another batch from device {device} was stored at the same time; send this one again (what is stored "
        "answers already-have)",
        "paket lain dari perangkat {device} disimpan pada saat yang sama; kirim ulang paket ini (yang sudah "
        "tersimpan dijawab already-have)",
    ),
    ("the office ref must be 1 to 64 characters", "nomor kantor harus 1 sampai 64 karakter"),
    (
        "--region is required: your account covers the whole country",
        "--region wajib diisi: akun Anda mencakup seluruh negeri",
    ),
    (
        "device key: not an Ed25519 key (a witness key was given?)",
        "kunci perangkat: bukan kunci Ed25519 (yang diberikan kunci saksi?)",
    ),
    ("device key: {problem}", "kunci perangkat: {problem}"),
    (
        "device {device} is already enrolled (a revoked device is never re-enrolled)",
        "perangkat {device} sudah didaftarkan (perangkat yang dicabut tidak pernah didaftarkan ulang)",
    ),
    ("decision must be apply or dismiss", "keputusan harus apply atau dismiss"),
    ("field conflict {id} is already {status}", "konflik lapangan {id} sudah {status}"),
    # why a field event is held (jaga.field.services), shown in the conflict queue
    ("the NIK is already registered centrally", "NIK ini sudah tercatat di data pusat"),
    (
        "the server holds this event id with other content",
        "server sudah menyimpan peristiwa dengan id ini tetapi isinya berbeda",
    ),
    (
        "field conflict {id}: the server's version of event {event_id} stands; dismiss this one (both stay "
        "stored)",
        "konflik lapangan {id}: versi server untuk peristiwa {event_id} yang berlaku; tolak versi "
        "ini (keduanya "
        "tetap disimpan)",
    ),
    (
        "officer {officer} has no active account on this server",
        "petugas {officer} tidak memiliki akun aktif di server ini",
    ),
    (
        "field conflict {id}: the held record no longer validates",
        "konflik lapangan {id}: data yang ditahan tidak lagi lolos validasi",
    ),
    (
        "field conflict {id} depends on held event {event_id}: decide that one first (applying it "
        "releases this one)",
        "konflik lapangan {id} bergantung pada peristiwa yang ditahan {event_id}: putuskan peristiwa itu "
        "lebih dulu (menerapkannya akan melepaskan yang ini)",
    ),
    ("depends on held event {event_id}", "bergantung pada peristiwa yang ditahan {event_id}"),
    (
        "a batch may hold at most {size} bytes; export several smaller ones",
        "satu paket paling banyak {size} bita; ekspor beberapa paket yang lebih kecil",
    ),
)

_TRANSLATED_VALUES = {"kind", "what", "label", "level"}


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    compiled = []
    for english, indonesian in CATALOG:
        pattern = "".join(
            f"(?P<{part[1:-1]}>.+?)" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{[a-z_]+\})", english)
            if part
        )
        compiled.append((re.compile(f"^{pattern}$", re.DOTALL), indonesian))
    return tuple(compiled)


def translate(message: str) -> str | None:
    """`message` in Bahasa Indonesia, if the catalog knows its template; else None."""
    for pattern, indonesian in _compiled():
        match = pattern.match(message)
        if match:
            values = {
                name: KIND_LABELS_ID.get(value, value) if name in _TRANSLATED_VALUES else value
                for name, value in match.groupdict().items()
            }
            return indonesian.format(**values)
    return None


def _or_note(message: str) -> str:
    return translate(message) or f"(rincian dalam bahasa Inggris) {message}"


def detail(exc: JagaError, language: str) -> str:
    """The problem's `detail` in `language`."""
    if language != "id":
        return exc.message
    if exc.message_id:
        return exc.message_id
    if isinstance(exc, RecordRejected):
        label = KIND_LABELS_ID.get(exc.kind, exc.kind)
        parts = [f"{p.field or label}: {_or_note(p.reason)}" for p in exc.problems]
        return f"{label} ditolak: " + "; ".join(parts)
    if isinstance(exc, InvalidNik):
        return "NIK tidak sah: " + "; ".join(_or_note(p) for p in exc.problems)
    return _or_note(exc.message)


def title(exc: JagaError, language: str) -> str:
    return exc.title_id if language == "id" else exc.title


# Pydantic's error types (stable identifiers) -> Indonesian, with the error's `ctx` values.
PYDANTIC_ID: Mapping[str, str] = {
    "missing": "wajib diisi",
    "extra_forbidden": "kolom tidak dikenal",
    "string_type": "harus berupa teks",
    "string_too_short": "minimal {min_length} karakter",
    "string_too_long": "maksimal {max_length} karakter",
    "string_pattern_mismatch": "tidak sesuai pola {pattern}",
    "int_type": "harus berupa bilangan bulat",
    "int_parsing": "harus berupa bilangan bulat",
    "int_from_float": "harus berupa bilangan bulat",
    "bool_type": "harus true atau false",
    "bool_parsing": "harus true atau false",
    "float_type": "harus berupa angka",
    "float_parsing": "harus berupa angka",
    "greater_than_equal": "harus paling sedikit {ge}",
    "less_than_equal": "harus paling banyak {le}",
    "greater_than": "harus lebih dari {gt}",
    "less_than": "harus kurang dari {lt}",
    "enum": "harus salah satu dari: {expected}",
    "literal_error": "harus salah satu dari: {expected}",
    "date_type": "tanggal harus ditulis YYYY-MM-DD",
    "date_parsing": "tanggal harus ditulis YYYY-MM-DD",
    "date_from_datetime_parsing": "tanggal harus ditulis YYYY-MM-DD",
    "list_type": "harus berupa daftar",
    "too_long": "paling banyak {max_length} butir",
    "too_short": "paling sedikit {min_length} butir",
    "model_type": "harus berupa objek JSON",
    "dict_type": "harus berupa objek JSON",
    "model_attributes_type": "harus berupa objek JSON",
    "json_invalid": "bukan JSON yang sah",
}


def validation_reason(error: Mapping[str, Any], language: str) -> str:
    """One pydantic error's reason in `language` (English: pydantic's own message)."""
    message = str(error.get("msg", "invalid"))
    if language != "id":
        return message
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "value_error":  # our validators' own messages: "Value error, <message>"
        return _or_note(str(context.get("error", message.removeprefix("Value error, "))))
    template = PYDANTIC_ID.get(kind)
    if template is None:
        return f"(rincian dalam bahasa Inggris) {message}"
    try:
        return template.format(**{k: v for k, v in context.items() if isinstance(k, str)})
    except (KeyError, IndexError):
        return template


HTTP_TITLES_ID = {
    400: "Isi permintaan tidak dapat dibaca sebagai JSON",
    404: "Tidak ditemukan",
    405: "Metode tidak diizinkan",
    413: "Permintaan terlalu besar",
}
