"""Bilingual help pages for problem types: the `type` URL of every RFC 9457 answer resolves here."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(tags=["problems"])

# slug -> (English, Bahasa Indonesia)
HELP: dict[str, tuple[str, str]] = {
    "invalid-input": (
        "The request or file has invalid fields; each is named with the reason.",
        "Permintaan atau berkas berisi kolom yang tidak sah; setiap kolom disebutkan beserta alasannya.",
    ),
    "invalid-nik": (
        "The NIK is not a valid 16-digit population number.",
        "NIK bukan Nomor Induk Kependudukan 16 digit yang sah.",
    ),
    "unknown-region": (
        "The region code is not in the Kemendagri list.",
        "Kode wilayah tidak ada dalam daftar Kemendagri.",
    ),
    "record-rejected": (
        "The record was refused; every problem is listed.",
        "Data ditolak; setiap masalah dicantumkan.",
    ),
    "import-rejected": (
        "The import had invalid rows; nothing was written.",
        "Impor berisi baris yang tidak sah; tidak ada yang disimpan.",
    ),
    "import-file-invalid": (
        "The file cannot be read in the expected format.",
        "Berkas tidak dapat dibaca dalam format yang diharapkan.",
    ),
    "not-authenticated": ("A valid API token is required.", "Diperlukan token API yang sah."),
    "login-refused": (
        "The login did not succeed: a wrong username, password or code, or too many failed attempts.",
        "Gagal masuk: nama pengguna, kata sandi, atau kode salah, atau terlalu banyak percobaan gagal.",
    ),
    "permission-denied": ("Your role may not do this.", "Peran Anda tidak diizinkan melakukan ini."),
    "role-not-allowed": ("Your role may not do this.", "Peran Anda tidak diizinkan melakukan ini."),
    "out-of-region": ("The record lies outside your region.", "Data berada di luar wilayah kewenangan Anda."),
    "not-found": ("Nothing exists at this address.", "Tidak ada data pada alamat ini."),
    "record-not-found": ("No record has this reference.", "Tidak ada data dengan nomor referensi ini."),
    "conflict": (
        "The request conflicts with existing records.",
        "Permintaan bertentangan dengan data yang ada.",
    ),
    "duplicate-nik": (
        "This NIK is already recorded by the same source.",
        "NIK ini sudah tercatat oleh sumber yang sama.",
    ),
    "duplicate-ref": ("This reference is already in use.", "Nomor referensi ini sudah digunakan."),
    "step-out-of-order": (
        "An adoption step was requested before the steps it depends on.",
        "Tahap pengangkatan anak diajukan sebelum tahap yang menjadi syaratnya.",
    ),
    "step-not-allowed": (
        "The adoption step's own conditions do not hold.",
        "Syarat tahap pengangkatan anak ini tidak terpenuhi.",
    ),
    "database-unavailable": (
        "The database cannot be reached; try again later.",
        "Basis data tidak dapat dihubungi; coba lagi nanti.",
    ),
    "schema-out-of-date": ("The database needs `jaga db upgrade`.", "Basis data perlu `jaga db upgrade`."),
    "bad-request": (
        "The request body cannot be read: it is not JSON, or not UTF-8.",
        "Isi permintaan tidak dapat dibaca: bukan JSON, atau bukan UTF-8.",
    ),
    "too-large": ("The request body is too large.", "Isi permintaan terlalu besar."),
    "photo-unreadable": (
        "The file is not a JPEG, PNG or WebP image that can be decoded.",
        "Berkas bukan gambar JPEG, PNG atau WebP yang dapat dibaca.",
    ),
    "photo-too-large": (
        "The photo's file or its pixel count is above the configured limit.",
        "Ukuran berkas foto atau jumlah pikselnya melebihi batas yang ditetapkan.",
    ),
    "no-face": (
        "The face detector found no face in the photo: use a clear, frontal photo of the child.",
        "Detektor wajah tidak menemukan wajah pada foto: gunakan foto anak yang jelas dan menghadap depan.",
    ),
    "several-faces": (
        "The photo shows more than one face; choose the child's face by its number (listed from the left).",
        "Foto memuat lebih dari satu wajah; pilih wajah anak dengan nomornya (diurutkan dari kiri).",
    ),
    "photos-rejected": (
        "Some photos of a batch were refused (each is named with its reason); no photo of it was stored.",
        "Sebagian foto dalam kiriman ditolak (masing-masing disebut dengan alasannya); tidak ada foto yang "
        "disimpan.",
    ),
    "step-awaiting-approval": (
        "An adoption step waits for a second officer's approval; what depends on it waits too.",
        "Tahap pengangkatan anak menunggu persetujuan petugas kedua; tahap berikutnya ikut menunggu.",
    ),
    "four-eyes": (
        "The officer who recorded a step may not approve it; another officer of the same role must.",
        "Petugas yang mencatat suatu tahap tidak boleh menyetujuinya; petugas lain dengan peran yang sama "
        "harus menyetujuinya.",
    ),
    "too-many-requests": (
        "Too many requests in a short time; wait a minute and try again.",
        "Terlalu banyak permintaan dalam waktu singkat; tunggu satu menit lalu coba lagi.",
    ),
    "http-error": (
        "The request was refused by the web server before jaga read it.",
        "Permintaan ditolak oleh server web sebelum dibaca jaga.",
    ),
    "method-not-allowed": (
        "This address does not accept that method.",
        "Alamat ini tidak menerima metode tersebut.",
    ),
    "unavailable": ("A service jaga needs is unavailable.", "Layanan yang dibutuhkan jaga tidak tersedia."),
    "verification-failed": (
        "A verification did not hold; each failed check is named.",
        "Verifikasi tidak terpenuhi; setiap pemeriksaan yang gagal disebutkan.",
    ),
    "audit-failed": (
        "The ledger audit found records, events or tiles that disagree with the signed log.",
        "Audit buku besar menemukan data, peristiwa, atau ubin yang tidak sesuai dengan log bertanda tangan.",
    ),
    "log-gap": (
        "An event the log needs next is missing from the events table; the log stops rather than skip it.",
        "Peristiwa yang dibutuhkan log berikutnya hilang dari tabel peristiwa; "
        "log berhenti dan tidak melewatinya.",
    ),
    "checkpoint-rolled-back": (
        "The log key refuses to sign a smaller tree, or a second root for the same size.",
        "Kunci log menolak menandatangani pohon yang lebih kecil atau akar kedua untuk ukuran yang sama.",
    ),
    "signing-key-missing": (
        "The log's key is not in the key folder; create it with `jaga ledger init`.",
        "Kunci log tidak ada di folder kunci; buat dengan `jaga ledger init`.",
    ),
    "key-file-invalid": (
        "A key file is damaged, of the wrong kind, or readable by other users.",
        "Berkas kunci rusak, jenisnya salah, atau dapat dibaca pengguna lain.",
    ),
    "cosignature-rejected": (
        "The cosigned checkpoint is not one this log signed, or carries no valid witness cosignature.",
        "Checkpoint bertanda tangan bersama bukan milik log ini, "
        "atau tidak memuat tanda tangan saksi yang sah.",
    ),
    "split-view": (
        "The log showed this witness two histories that do not extend each other; the evidence is kept.",
        "Log menunjukkan dua riwayat yang tidak saling melanjutkan kepada saksi ini; buktinya disimpan.",
    ),
    "checkpoint-rollback": (
        "The log presented a smaller tree than one already cosigned.",
        "Log menyajikan pohon yang lebih kecil daripada yang sudah ditandatangani bersama.",
    ),
    "witness-policy-invalid": (
        "The witness policy (C2SP tlog-policy) does not parse, or no policy is in force at that time.",
        "Kebijakan saksi (C2SP tlog-policy) tidak dapat dibaca, atau tidak ada kebijakan yang berlaku "
        "pada waktu itu.",
    ),
    "witness-quorum-not-met": (
        "The log's checkpoint is not yet cosigned by the witnesses the policy requires; push it to them "
        "(`jaga ledger witness-push`) and try again.",
        "Checkpoint log belum ditandatangani bersama oleh saksi yang diwajibkan kebijakan; kirimkan ke "
        "para saksi (`jaga ledger witness-push`) lalu coba lagi.",
    ),
    "witness-key-missing": (
        "The witness has no key yet; create it with `jaga witness init`.",
        "Saksi belum memiliki kunci; buat dengan `jaga witness init`.",
    ),
    "witness-key-invalid": (
        "The witness key file is damaged or of the wrong kind.",
        "Berkas kunci saksi rusak atau jenisnya salah.",
    ),
    "not-yet-in-log": (
        "The record's event is not in the public log yet; the sequencer adds it within seconds.",
        "Peristiwa data ini belum masuk log publik; sequencer menambahkannya dalam hitungan detik.",
    ),
    "certificate-invalid": (
        "The certificate does not verify; each failed check is named.",
        "Sertifikat tidak lolos verifikasi; setiap pemeriksaan yang gagal disebutkan.",
    ),
    "engine-unavailable": (
        "The linkage engine cannot start (Spark needs pyspark and Java 17+); DuckDB needs neither.",
        "Mesin pencocokan tidak dapat dijalankan (Spark memerlukan pyspark dan Java 17+); DuckDB tidak.",
    ),
    "evidence-invalid": (
        "The evidence pack does not verify; each failed check names its file, event or checkpoint.",
        "Paket bukti tidak lolos verifikasi; setiap pemeriksaan yang gagal menyebut berkas, peristiwa atau "
        "checkpoint-nya.",
    ),
    "evidence-not-sealable": (
        "The pack's own event is not yet in the log, or no checkpoint holding it is cosigned by the "
        "witnesses the server trusts; integrate the log and push it to the witnesses, then seal again.",
        "Peristiwa pengemasan paket belum masuk log, atau belum ada checkpoint yang memuatnya dan "
        "ditandatangani bersama oleh saksi yang dipercaya server; integrasikan log dan kirim ke saksi, lalu "
        "segel lagi.",
    ),
    "internal-error": (
        "An internal error occurred; quote the error id to support.",
        "Terjadi kesalahan internal; sebutkan nomor kesalahan kepada petugas.",
    ),
    # --- field offices (jaga field) ---
    "field-batch-invalid": (
        "The field batch cannot be read as one: its header, its event count or a line is wrong.",
        "Paket lapangan tidak dapat dibaca: header, jumlah peristiwa, atau salah satu barisnya salah.",
    ),
    "field-node-missing": (
        "No field node in that folder: run `jaga field init` first.",
        "Tidak ada simpul lapangan di folder itu: jalankan `jaga field init` terlebih dahulu.",
    ),
    "device-not-enrolled": (
        "The device that signed the batch is not enrolled here: a district admin enrols it first.",
        "Perangkat yang menandatangani paket belum didaftarkan di sini: admin kabupaten/kota "
        "mendaftarkannya.",
    ),
    "device-revoked": (
        "The device's enrolment was revoked: its batches are refused; what it sent before stays.",
        "Pendaftaran perangkat telah dicabut: paketnya ditolak; yang sudah dikirim sebelumnya tetap "
        "tersimpan.",
    ),
    "event-signature-invalid": (
        "An event does not carry the enrolled device's signature: it was altered, or signed by another key.",
        "Sebuah peristiwa tidak bertanda tangan perangkat yang terdaftar: isinya diubah, atau ditandatangani "
        "kunci lain.",
    ),
    "field-chain-broken": (
        "The device's hash chain is broken: an event is missing, out of order, forked or back-dated.",
        "Rantai hash perangkat terputus: ada peristiwa yang hilang, tertukar urutannya, bercabang, atau "
        "tanggalnya dimundurkan.",
    ),
    "field-event-conflict": (
        "The server holds this event id with other content; both versions are kept for review.",
        "Server menyimpan id peristiwa ini dengan isi lain; kedua versi disimpan untuk ditinjau.",
    ),
    "field-batch-refused": (
        "The registry refused events of the batch (listed one by one); nothing of the batch was written.",
        "Registri menolak peristiwa dalam paket (dirinci satu per satu); tidak ada isi paket yang disimpan.",
    ),
}


@router.get("/problems/{slug}", response_class=HTMLResponse, include_in_schema=False)
def problem_help(slug: str) -> HTMLResponse:
    english, indonesian = HELP.get(slug, ("Unknown problem type.", "Jenis masalah tidak dikenal."))
    body = (
        f"<!doctype html><html lang='id'><meta charset='utf-8'><title>{escape(slug)}</title>"
        f"<h1>{escape(slug)}</h1><p lang='id'>{escape(indonesian)}</p>"
        f"<p lang='en'>{escape(english)}</p></html>"
    )
    return HTMLResponse(body, status_code=200 if slug in HELP else 404)
