"""Errors jaga raises on purpose, and how each edge shows them.

    JagaError                       500 / exit 70   a bug if it escapes unnamed
     ├── InvalidInput               422 / exit 3    InvalidNik, UnknownRegion, RecordRejected, ImportRejected
     ├── NotAuthenticated           401 / exit 5
     ├── PermissionDenied           403 / exit 5    RoleNotAllowed, OutOfRegion, NotActingOfficial
     ├── NotFound                   404 / exit 4    RecordNotFound
     ├── Conflict                   409 / exit 6    StepOutOfOrder, DuplicateNik, DuplicateRef, CaseClosed
     ├── VerificationFailed         422 / exit 1
     └── Unavailable                503 / exit 7    DatabaseUnavailable, SchemaOutOfDate

Messages name ids, rows, fields and rules, never personal data (no names, no NIKs, no birth dates):
they reach logs, terminals and API clients.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar


class JagaError(Exception):
    """Base of every error jaga raises on purpose."""

    status: ClassVar[int] = 500
    exit_code: ClassVar[int] = 70
    problem: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal error"
    title_id: ClassVar[str] = "Kesalahan internal"
    meaning: ClassVar[str] = "a bug (an unexpected error; reported with an error id)"

    def __init__(self, message: str, *, message_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # The same message in Bahasa Indonesia, where the raiser or the class can give it; otherwise the
        # API edge translates `message` from its catalog (jaga.web.translations).
        self.message_id = message_id

    def extras(self) -> dict[str, object]:
        """RFC 9457 extension members for the API edge."""
        return {}


class InvalidInput(JagaError):
    status = 422
    exit_code = 3
    problem = "invalid-input"
    title = "Invalid input"
    title_id = "Masukan tidak sah"
    meaning = "invalid input"


class NotAuthenticated(JagaError):
    status = 401
    exit_code = 5
    problem = "not-authenticated"
    title = "Not authenticated"
    title_id = "Belum diautentikasi"
    meaning = "not authenticated"


class PermissionDenied(JagaError):
    status = 403
    exit_code = 5
    problem = "permission-denied"
    title = "Permission denied"
    title_id = "Akses ditolak"
    meaning = "permission denied"


class NotFound(JagaError):
    status = 404
    exit_code = 4
    problem = "not-found"
    title = "Not found"
    title_id = "Tidak ditemukan"
    meaning = "not found"


class Conflict(JagaError):
    status = 409
    exit_code = 6
    problem = "conflict"
    title = "Conflict"
    title_id = "Bertentangan dengan data yang ada"
    meaning = "conflict"


class VerificationFailed(JagaError):
    status = 422
    exit_code = 1
    problem = "verification-failed"
    title = "Verification failed"
    title_id = "Verifikasi gagal"
    meaning = "verification failed"


class Unavailable(JagaError):
    status = 503
    exit_code = 7
    problem = "unavailable"
    title = "Service unavailable"
    title_id = "Layanan tidak tersedia"
    meaning = "unavailable: database, schema or key"


class TooLarge(JagaError):
    """An upload or form larger than the public pages accept."""

    status = 413
    exit_code = 3
    problem = "too-large"
    title = "Too large"
    title_id = "Terlalu besar"
    meaning = "too large"


class TooManyRequests(JagaError):
    """A public form or upload used too often in a short time (the portal's in-memory limits)."""

    status = 429
    exit_code = 7
    problem = "too-many-requests"
    title = "Too many requests"
    title_id = "Terlalu banyak permintaan"
    meaning = "too many requests: try again later"


SHARED: tuple[type[JagaError], ...] = (
    InvalidInput,
    NotAuthenticated,
    PermissionDenied,
    NotFound,
    Conflict,
    VerificationFailed,
    Unavailable,
    TooLarge,
    TooManyRequests,
)

# Not errors of jaga's: success, and Click's own usage error (unknown option, missing argument).
_OTHER_EXIT_CODES = {0: "success", 2: "usage error"}


def exit_codes() -> dict[int, str]:
    """Every process exit status jaga uses and what it means, generated from the shared classes."""
    codes: dict[int, list[str]] = {code: [text] for code, text in _OTHER_EXIT_CODES.items()}
    kinds: tuple[type[JagaError], ...] = (*SHARED, JagaError)
    for cls in kinds:
        codes.setdefault(cls.exit_code, []).append(cls.meaning)
    return {code: " / ".join(codes[code]) for code in sorted(codes)}


def exit_code_table() -> str:
    """The exit codes as one line each, for `jaga --help` and the README."""
    return "\n".join(f"  {code:>2}  {meaning}" for code, meaning in exit_codes().items())


# --- leaves -------------------------------------------------------------------------------------------

# Record kinds as messages name them, in Bahasa Indonesia.
KIND_LABELS_ID = {
    "person": "orang",
    "birth": "kelahiran",
    "facility": "fasilitas kesehatan",
    "attendant": "penolong persalinan",
    "official": "pejabat",
    "institution": "lembaga",
    "relinquishment": "penyerahan anak",
    "placement": "penempatan",
    "adoption case": "perkara pengangkatan anak",
    "missing-child report": "laporan anak hilang",
    "certificate": "sertifikat",
    "flag": "tanda",
    "photo": "foto",
    "face candidate": "kandidat wajah",
    "birth registration": "pencatatan kelahiran",
    "province": "provinsi",
    "regency/city": "kabupaten/kota",
    "district": "kecamatan",
    "village": "desa/kelurahan",
}


def _label_id(kind: str) -> str:
    return KIND_LABELS_ID.get(kind, kind)


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field (or the whole record when `field` is None)."""

    field: str | None
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"field": self.field, "reason": self.reason}


class InvalidNik(InvalidInput):
    problem = "invalid-nik"
    title = "Invalid NIK"
    title_id = "NIK tidak sah"

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("invalid NIK: " + "; ".join(self.problems))

    def extras(self) -> dict[str, object]:
        return {"problems": self.problems}


class UnknownRegion(InvalidInput):
    problem = "unknown-region"
    title = "Unknown region code"
    title_id = "Kode wilayah tidak dikenal"


class RecordRejected(InvalidInput):
    """A record failed validation; carries every field problem."""

    problem = "record-rejected"
    title = "Record rejected"
    title_id = "Data ditolak"

    def __init__(self, kind: str, problems: Sequence[FieldProblem]) -> None:
        self.kind = kind
        self.problems = list(problems)
        details = "; ".join(f"{p.field or kind}: {p.reason}" for p in self.problems)
        super().__init__(f"{kind} rejected: {details}")

    def extras(self) -> dict[str, object]:
        return {"errors": [p.as_dict() for p in self.problems]}


class ImportRejected(InvalidInput):
    """An import had invalid rows; nothing was written."""

    problem = "import-rejected"
    title = "Import rejected"
    title_id = "Impor ditolak"

    def __init__(self, kind: str, bad_rows: int, report: str | None) -> None:
        self.kind = kind
        self.bad_rows = bad_rows
        self.report = report
        where = f"; full report in {report}" if report else ""
        super().__init__(
            f"{kind} import rejected: {bad_rows} invalid row(s), nothing written{where}",
            message_id=f"impor {kind} ditolak: {bad_rows} baris tidak sah, tidak ada yang disimpan"
            + (f"; laporan lengkap di {report}" if report else ""),
        )


class ImportFileInvalid(InvalidInput):
    """The file itself cannot be read as the kind's format (encoding, header, emptiness)."""

    problem = "import-file-invalid"
    title = "Import file invalid"
    title_id = "Berkas impor tidak sah"


class LoginRefused(NotAuthenticated):
    """A workbench login that did not succeed (it never says whether the username exists)."""

    problem = "login-refused"
    title = "Login refused"
    title_id = "Gagal masuk"


class RoleNotAllowed(PermissionDenied):
    problem = "role-not-allowed"
    title = "Role not allowed"
    title_id = "Peran tidak diizinkan"


class OutOfRegion(PermissionDenied):
    problem = "out-of-region"
    title = "Outside your region"
    title_id = "Di luar wilayah Anda"


class NotActingOfficial(PermissionDenied):
    """The account does not act as the official the record would name: it is unbound, or bound to
    another official. (Shares the permission-denied problem type.)"""


class RecordNotFound(NotFound):
    problem = "record-not-found"
    title = "Record not found"
    title_id = "Data tidak ditemukan"

    def __init__(self, kind: str, ref: str) -> None:
        self.kind = kind
        self.ref = ref
        super().__init__(
            f"no {kind} with ref {ref!r}", message_id=f"tidak ada {_label_id(kind)} dengan nomor {ref!r}"
        )

    def extras(self) -> dict[str, object]:
        return {"kind": self.kind, "ref": self.ref}


class DuplicateNik(Conflict):
    problem = "duplicate-nik"
    title = "Duplicate NIK"
    title_id = "NIK ganda"


class DuplicateRef(Conflict):
    problem = "duplicate-ref"
    title = "Duplicate reference"
    title_id = "Nomor referensi ganda"


class StepOutOfOrder(Conflict):
    """An adoption step was requested before the steps it depends on."""

    problem = "step-out-of-order"
    title = "Adoption step out of order"
    title_id = "Tahap pengangkatan anak tidak berurutan"

    def __init__(self, case_ref: str, requested: str, missing: str, detail: str | None = None) -> None:
        self.case_ref = case_ref
        self.requested = requested
        self.missing = missing
        message = f"case {case_ref}: step {requested!r} refused, missing step {missing!r}"
        indonesian = f"perkara {case_ref}: tahap {requested!r} ditolak, tahap {missing!r} belum dicatat"
        if detail:
            message += f" ({detail})"
            indonesian += f" ({detail})"
        super().__init__(message, message_id=indonesian)

    def extras(self) -> dict[str, object]:
        return {"case": self.case_ref, "requested_step": self.requested, "missing_step": self.missing}


class StepAwaitingApproval(Conflict):
    """A step waits for a second officer's approval (four eyes), so what depends on it must wait too."""

    problem = "step-awaiting-approval"
    title = "Adoption step awaiting approval"
    title_id = "Tahap pengangkatan anak menunggu persetujuan"

    def __init__(self, case_ref: str, requested: str, pending: str) -> None:
        self.case_ref, self.requested, self.pending = case_ref, requested, pending
        if requested == pending:
            message = f"case {case_ref}: step {pending!r} is recorded and awaits a second officer's approval"
            indonesian = (
                f"perkara {case_ref}: tahap {pending!r} sudah dicatat dan menunggu persetujuan petugas kedua"
            )
        else:
            message = (
                f"case {case_ref}: step {requested!r} refused, step {pending!r} awaits a second officer's "
                "approval"
            )
            indonesian = (
                f"perkara {case_ref}: tahap {requested!r} ditolak, tahap {pending!r} menunggu persetujuan "
                "petugas kedua"
            )
        super().__init__(message, message_id=indonesian)

    def extras(self) -> dict[str, object]:
        return {"case": self.case_ref, "requested_step": self.requested, "pending_step": self.pending}


class FourEyes(PermissionDenied):
    """The officer who recorded a step may not approve it: a second officer must."""

    problem = "four-eyes"
    title = "A second officer must decide"
    title_id = "Harus diputuskan petugas kedua"


class StepNotAllowed(Conflict):
    """An adoption step is in order but its own conditions do not hold (dates, documents, closed case)."""

    problem = "step-not-allowed"
    title = "Adoption step not allowed"
    title_id = "Tahap pengangkatan anak tidak diizinkan"


class DatabaseUnavailable(Unavailable):
    problem = "database-unavailable"
    title = "Database unavailable"
    title_id = "Basis data tidak tersedia"


class SchemaOutOfDate(Unavailable):
    problem = "schema-out-of-date"
    title = "Database schema out of date"
    title_id = "Skema basis data usang"


# --- the log and its keys (jaga.sequencer, jaga ledger) -------------------------------------------


class LogGap(VerificationFailed):
    problem = "log-gap"
    title = "Event log has a gap"
    title_id = "Log peristiwa terputus"


class AuditFailed(VerificationFailed):
    problem = "audit-failed"
    title = "Ledger audit found problems"
    title_id = "Audit buku besar menemukan masalah"


class CosignatureRejected(VerificationFailed):
    problem = "cosignature-rejected"
    title = "Cosignature rejected"
    title_id = "Tanda tangan bersama ditolak"


class SigningKeyMissing(Unavailable):
    problem = "signing-key-missing"
    title = "Ledger signing key missing"
    title_id = "Kunci tanda tangan buku besar tidak ada"


class CheckpointRolledBack(Conflict):
    problem = "checkpoint-rolled-back"
    title = "Checkpoint would roll back"
    title_id = "Checkpoint akan mundur"


class KeyFileInvalid(Unavailable):
    problem = "key-file-invalid"
    title = "Ledger key file invalid"
    title_id = "Berkas kunci buku besar tidak sah"


# --- witnesses (jaga.witness) ---------------------------------------------------------------------


class SplitView(VerificationFailed):
    problem = "split-view"
    title = "Split view: the log showed two different histories"
    title_id = "Pandangan terbelah: log menunjukkan dua riwayat berbeda"


class Rollback(VerificationFailed):
    problem = "checkpoint-rollback"
    title = "The log presented an older checkpoint"
    title_id = "Log menyajikan checkpoint yang lebih lama"


class WitnessPolicyInvalid(InvalidInput):
    problem = "witness-policy-invalid"
    title = "Witness policy invalid"
    title_id = "Kebijakan saksi tidak sah"


class QuorumNotMet(Conflict):
    problem = "witness-quorum-not-met"
    title = "The checkpoint is not cosigned by the witness quorum"
    title_id = "Checkpoint belum ditandatangani bersama oleh kuorum saksi"


class WitnessKeyMissing(Unavailable):
    problem = "witness-key-missing"
    title = "Witness key missing"
    title_id = "Kunci saksi tidak ada"


class WitnessKeyInvalid(Unavailable):
    problem = "witness-key-invalid"
    title = "Witness key invalid"
    title_id = "Kunci saksi tidak sah"


# --- certificates ---------------------------------------------------------------------------------


class CertificateInvalid(VerificationFailed):
    problem = "certificate-invalid"
    title = "Certificate does not verify"
    title_id = "Sertifikat tidak lolos verifikasi"


class NotYetInLog(Unavailable):
    problem = "not-yet-in-log"
    title = "Not yet in the log"
    title_id = "Belum masuk log"


# --- linkage --------------------------------------------------------------------------------------


class EngineUnavailable(Unavailable):
    problem = "engine-unavailable"
    title = "Linkage engine unavailable"
    title_id = "Mesin pencocokan tidak tersedia"


# --- face matching (jaga.faces) -----------------------------------------------------------------------


class PhotoUnreadable(InvalidInput):
    """The file is not an image jaga can decode (JPEG, PNG or WebP)."""

    problem = "photo-unreadable"
    title = "Photo unreadable"
    title_id = "Foto tidak dapat dibaca"


class PhotoTooLarge(TooLarge):
    """A photo file or image larger than the configured limits."""

    problem = "photo-too-large"
    title = "Photo too large"
    title_id = "Foto terlalu besar"


class NoFaceFound(InvalidInput):
    """The face detector found no face in the photo."""

    problem = "no-face"
    title = "No face found"
    title_id = "Tidak ada wajah yang ditemukan"


class PhotosRejected(InvalidInput):
    """A batch of photos had refused items; nothing was stored."""

    problem = "photos-rejected"
    title = "Photos rejected"
    title_id = "Foto ditolak"

    def __init__(self, refused: Sequence[dict[str, object]]) -> None:
        self.refused = list(refused)
        numbers = ", ".join(str(r["item"]) for r in self.refused[:20])
        super().__init__(
            f"{len(self.refused)} photo(s) of the batch refused (items {numbers}); nothing was stored",
            message_id=f"{len(self.refused)} foto dalam kiriman ditolak (butir {numbers}); "
            "tidak ada yang disimpan",
        )

    def extras(self) -> dict[str, object]:
        return {"refused": self.refused}


class SeveralFaces(InvalidInput):
    """The photo shows more than one face and no face was chosen: the officer picks one by number."""

    problem = "several-faces"
    title = "Several faces"
    title_id = "Beberapa wajah"

    def __init__(self, boxes: Sequence[tuple[int, int, int, int]], *, chosen: int | None = None) -> None:
        self.boxes = [list(box) for box in boxes]
        listing = "; ".join(
            f"{number}: left {b[0]}, top {b[1]}, right {b[2]}, bottom {b[3]}"
            for number, b in enumerate(self.boxes, start=1)
        )
        first = (
            f"face {chosen} does not exist: the photo shows {len(self.boxes)} faces"
            if chosen is not None
            else f"the photo shows {len(self.boxes)} faces"
        )
        super().__init__(
            f"{first}; choose one with --face N (API: face=N), numbered from the left: {listing}",
            message_id=(f"wajah {chosen} tidak ada: " if chosen is not None else "")
            + f"foto ini memuat {len(self.boxes)} wajah; pilih satu dengan --face N (API: face=N), "
            f"dinomori dari kiri: {listing}",
        )

    def extras(self) -> dict[str, object]:
        return {"faces": [dict(zip(("left", "top", "right", "bottom"), b, strict=True)) for b in self.boxes]}


# --- evidence packs -------------------------------------------------------------------------------


class EvidenceInvalid(VerificationFailed):
    """An evidence pack fails one or more checks; the message names each (file, event, checkpoint)."""

    problem = "evidence-invalid"
    title = "Evidence pack does not verify"
    title_id = "Paket bukti tidak lolos verifikasi"

    def __init__(self, failures: Sequence[str]) -> None:
        self.failures = list(failures)
        listing = "; ".join(self.failures)
        super().__init__(
            f"the evidence pack fails {len(self.failures)} check(s): {listing}",
            message_id=f"paket bukti gagal dalam {len(self.failures)} pemeriksaan: {listing}",
        )

    def extras(self) -> dict[str, object]:
        return {"failures": self.failures}


class PackNotSealable(Conflict):
    """An evidence pack's packing event is not in the log yet, or no witnessed checkpoint holds it yet:
    its seal cannot be made now (try again after `jaga ledger integrate` and `jaga ledger witness-push`)."""

    problem = "evidence-not-sealable"
    title = "The evidence pack cannot be sealed yet"
    title_id = "Paket bukti belum dapat disegel"


# --- field offices (jaga.field) ---------------------------------------------------------------------
# Messages name devices, event ids and positions in a batch, never a record's content.


class BatchInvalid(InvalidInput):
    """A field batch file (or upload) that cannot be read as one: format, header, lines."""

    problem = "field-batch-invalid"
    title = "Field batch invalid"
    title_id = "Paket lapangan tidak sah"


class FieldNodeMissing(Unavailable):
    """No field node (database, device key, node file) in the folder named."""

    problem = "field-node-missing"
    title = "Field node missing"
    title_id = "Simpul lapangan tidak ada"


class DeviceNotEnrolled(PermissionDenied):
    problem = "device-not-enrolled"
    title = "Device not enrolled"
    title_id = "Perangkat belum didaftarkan"


class DeviceRevoked(PermissionDenied):
    problem = "device-revoked"
    title = "Device enrolment revoked"
    title_id = "Pendaftaran perangkat dicabut"


class EventSignatureInvalid(VerificationFailed):
    problem = "event-signature-invalid"
    title = "Field event signature does not verify"
    title_id = "Tanda tangan peristiwa lapangan tidak sah"


class ChainBroken(VerificationFailed):
    """A device's hash chain with a gap, a reordering, a fork or a back-dated event."""

    problem = "field-chain-broken"
    title = "Device hash chain broken"
    title_id = "Rantai hash perangkat terputus"


class EventContentConflict(Conflict):
    """An event id the server already holds, sent again with different content: both versions kept."""

    problem = "field-event-conflict"
    title = "Same event id, different content"
    title_id = "Id peristiwa sama, isi berbeda"

    def __init__(self, message: str, conflicts: Sequence[str]) -> None:
        self.conflicts = list(conflicts)
        super().__init__(message)

    def extras(self) -> dict[str, object]:
        return {"event_ids": self.conflicts}


class BatchRefused(InvalidInput):
    """A field batch with events the registry refuses: nothing written; a report per event."""

    problem = "field-batch-refused"
    title = "Field batch refused"
    title_id = "Paket lapangan ditolak"

    def __init__(self, message: str, report: Sequence[dict[str, object]]) -> None:
        self.report = list(report)
        super().__init__(message)

    def extras(self) -> dict[str, object]:
        return {"events": self.report}
