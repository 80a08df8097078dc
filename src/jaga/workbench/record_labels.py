"""What the record forms call their columns, options and help, in Bahasa Indonesia and English.

A table keyed by the import column names (the forms' field names), like `jaga.workbench.labels`: the keys
come from the schemas at run time, where Babel's extraction cannot see them. A column missing here is
shown by its column name, which is also what the import files and the API call it.
"""

from __future__ import annotations

Pair = tuple[str, str]  # (Bahasa Indonesia, English)

COLUMNS: dict[str, Pair] = {
    "address": ("Alamat", "Address"),
    "address_region_code": ("Wilayah alamat", "Address region"),
    "adopter_ref": ("Calon orang tua angkat", "Prospective adopter"),
    "adoption_case_ref": ("Perkara pengangkatan anak", "Adoption case"),
    "akta_number": ("Nomor akta kelahiran", "Birth certificate (akta) number"),
    "applied_on": ("Tanggal permohonan", "Applied on"),
    "attendant_ref": ("Penolong persalinan", "Birth attendant"),
    "birth_date": ("Tanggal lahir", "Date of birth"),
    "birth_evidence": ("Bukti kelahiran", "Evidence of the birth"),
    "birth_ref": ("Data kelahiran", "Birth record"),
    "birth_weight_g": ("Berat lahir (gram)", "Birth weight (grams)"),
    "born_at_time": ("Jam lahir", "Time of birth"),
    "born_on": ("Tanggal lahir", "Date of birth"),
    "carer_ref": ("Pengasuh", "Carer"),
    "child_name": ("Nama anak", "Child's name"),
    "child_nik": ("NIK anak", "Child's NIK"),
    "child_ref": ("Anak", "Child"),
    "child_sex": ("Jenis kelamin anak", "Child's sex"),
    "co_adopter_ref": ("Calon orang tua angkat kedua", "Second prospective adopter"),
    "consent_document": ("Dokumen persetujuan orang tua", "Parents' consent document"),
    "counselled_on": ("Tanggal konseling", "Counselled on"),
    "counselling_record": ("Nomor catatan konseling", "Counselling record number"),
    "counsellor_ref": ("Pekerja sosial yang memberi konseling", "Counselling social worker"),
    "description": ("Keterangan", "Description"),
    "documents": ("Dokumen", "Documents"),
    "facility_ref": ("Fasilitas kesehatan", "Health facility"),
    "father_ref": ("Ayah", "Father"),
    "from_date": ("Mulai", "From"),
    "full_name": ("Nama lengkap", "Full name"),
    "institution_ref": ("Lembaga", "Institution"),
    "kind": ("Jenis", "Kind"),
    "kk_number": ("Nomor KK", "Family card (KK) number"),
    "last_seen_on": ("Terakhir terlihat pada", "Last seen on"),
    "last_seen_place": ("Tempat terakhir terlihat", "Place last seen"),
    "last_seen_region_code": ("Wilayah terakhir terlihat", "Region last seen in"),
    "licence_status": ("Status izin", "Licence status"),
    "licence_valid_until": ("Izin berlaku sampai", "Licence valid until"),
    "mother_ref": ("Ibu", "Mother"),
    "mother_name": ("Nama ibu", "Mother's name"),
    "mother_nik": ("NIK ibu", "Mother's NIK"),
    "nationality": ("Kewarganegaraan", "Nationality"),
    "nik": ("NIK", "NIK"),
    "note": ("Catatan", "Note"),
    "occurred_on": ("Tanggal penyerahan", "Date given up"),
    "official_ref": ("Pejabat", "Official"),
    "phone": ("Telepon", "Phone"),
    "place_kind": ("Tempat persalinan", "Place of birth"),
    "place_region_code": ("Wilayah tempat lahir", "Region of the place of birth"),
    "plurality": ("Jumlah bayi dalam persalinan", "Babies born in this delivery"),
    "police_unit": ("Unit kepolisian", "Police unit"),
    "region_code": ("Wilayah kantor pencatat", "Recording office's region"),
    "registered_on": ("Tanggal pencatatan", "Registered on"),
    "registrar_ref": ("Petugas pencatatan sipil", "Registrar"),
    "registration_region_code": ("Wilayah pencatatan", "Region of registration"),
    "religion": ("Agama", "Religion"),
    "report_number": ("Nomor laporan polisi", "Police report number"),
    "reporter_ref": ("Pelapor", "Reporter"),
    "sex": ("Jenis kelamin", "Sex"),
    "skl_number": ("Nomor surat keterangan lahir (SKL)", "Birth statement (SKL) number"),
    "source_kind": ("Sumber data", "Recorded by"),
    "source_ref": ("Nomor data di sumber", "Reference at the source"),
    "status": ("Status", "Status"),
    "subject_ref": ("Data yang disertifikasi", "Record certified"),
    "to_date": ("Sampai", "Until"),
    "witness_1_name": ("Nama saksi pertama", "First witness's name"),
    "witness_1_nik": ("NIK saksi pertama", "First witness's NIK"),
    "witness_2_name": ("Nama saksi kedua", "Second witness's name"),
    "witness_2_nik": ("NIK saksi kedua", "Second witness's NIK"),
    "no_counselling": ("Ibu tidak mendapat konseling", "The mother was not counselled"),
}

# Help under a field, by column name first, then by the kind of value (see `form_fields.hint_key`).
HINTS: dict[str, Pair] = {
    "ref-field": (
        "Nomor rujukan data yang sudah ada, misalnya P-7QK2M9XR4T (temukan lewat Cari).",
        "The reference of an existing record, e.g. P-7QK2M9XR4T (find it with Search).",
    ),
    "region": ("Kode wilayah Kemendagri, misalnya 33.74.", "Kemendagri region code, e.g. 33.74."),
    "jurisdiction": (
        "Kosongkan untuk wilayah akun Anda; harus berada di dalam wilayah kewenangan Anda.",
        "Leave blank for your account's region; it must lie inside your scope.",
    ),
    "nik": (
        "16 angka. Diperiksa saat Anda mengetik, terhadap tanggal lahir dan jenis kelamin.",
        "16 digits. Checked as you type, against the date of birth and sex.",
    ),
    "witness-nik": ("16 angka.", "16 digits."),
    "kk_number": ("16 angka.", "16 digits."),
    "mother_nik": ("16 angka.", "16 digits."),
    "phone": ("Angka, spasi, '-' dan '+' di depan.", "Digits, spaces, '-' and a leading '+'."),
    "nationality": (
        "Kode negara ISO 3166-1 alpha-3, misalnya IDN.",
        "ISO 3166-1 alpha-3 country code, e.g. IDN.",
    ),
    "documents": (
        "Tulis jenis=nomor; jenis=nomor, misalnya application=APP/2026/01.",
        "Write kind=number; kind=number, e.g. application=APP/2026/01.",
    ),
    "registrar_ref": (
        "Kosongkan bila akun Anda terikat pada seorang petugas pencatatan sipil (itulah petugasnya).",
        "Leave blank when your account acts as a registrar (it is that registrar).",
    ),
    "official_ref": (
        "Kosongkan bila akun Anda terikat pada seorang pejabat (itulah pejabatnya).",
        "Leave blank when your account acts as an official (it is that official).",
    ),
    "new-child": (
        "Kosongkan untuk membuat data anak baru; isi nomor data anak bila anak sudah tercatat.",
        "Leave blank to create the child's record; give the child's ref if the child is already recorded.",
    ),
    "birth_ref": ("Nomor rujukan kelahiran, misalnya B-7QK2M9XR4T.", "The birth's ref, e.g. B-7QK2M9XR4T."),
    "subject_ref": (
        "Nomor rujukan kelahiran (akta kelahiran) atau perkara pengangkatan anak.",
        "The birth's ref (birth certificate) or the adoption case's ref.",
    ),
    "counselling_record": (
        "Wajib: nomor catatan konseling, atau tanggal konseling di atas.",
        "Required: the counselling record's number, or the date of counselling above.",
    ),
    "no_counselling": (
        "Centang hanya bila konseling memang tidak dilakukan: data tetap dicatat, dengan peringatan dan "
        "tanda bahaya.",
        "Tick only if there was no counselling: the record is kept, with a warning and a flag.",
    ),
    "time": ("Jam setempat, JJ:MM (24 jam).", "Local time, HH:MM (24-hour)."),
}

OPTIONS: dict[str, Pair] = {
    "F": ("Perempuan", "Female"),
    "M": ("Laki-laki", "Male"),
    "facility": ("Fasilitas kesehatan", "Health facility"),
    "home": ("Rumah", "Home"),
    "other": ("Lainnya", "Other"),
    "skl": ("Surat keterangan lahir (SKL)", "Birth statement (SKL)"),
    "buku_kia": ("Buku KIA", "Mother-and-child health book"),
    "sptjm": ("SPTJM (pernyataan tanggung jawab mutlak)", "SPTJM (self-declaration)"),
    "police_report": ("Laporan polisi", "Police report"),
    "none": ("Tidak ada", "None"),
    "institution": ("Lembaga", "Institution"),
    "foster_family": ("Keluarga asuh", "Foster family"),
    "prospective_adopters": ("Calon orang tua angkat", "Prospective adopters"),
    "kinship": ("Kerabat", "Kinship care"),
    "birth_family": ("Keluarga asal", "Birth family"),
    "active": ("Aktif", "Active"),
    "suspended": ("Dibekukan", "Suspended"),
    "revoked": ("Dicabut", "Revoked"),
    "expired": ("Kedaluwarsa", "Expired"),
    "open": ("Terbuka", "Open"),
    "found": ("Ditemukan", "Found"),
    "closed": ("Ditutup", "Closed"),
    "civil_registry": ("Disdukcapil", "Civil registry"),
    "social_service": ("Dinas Sosial", "Social services"),
    "police": ("Kepolisian", "Police"),
    "court": ("Pengadilan", "Court"),
    "islam": ("Islam", "Islam"),
    "protestant": ("Kristen Protestan", "Protestant"),
    "catholic": ("Katolik", "Catholic"),
    "hindu": ("Hindu", "Hindu"),
    "buddhist": ("Buddha", "Buddhist"),
    "confucian": ("Khonghucu", "Confucian"),
    "kepercayaan": ("Kepercayaan", "Indigenous belief"),
    "unknown": ("Tidak diketahui", "Unknown"),
    "domestic": ("Dalam negeri", "Domestic"),
    "intercountry": ("Antarnegara", "Intercountry"),
    "birth": ("Kelahiran", "Birth"),
    "adoption": ("Pengangkatan anak", "Adoption"),
}

# What the officer is told after a record with warnings is written (codes of `record_warnings`).
WARNINGS: dict[str, Pair] = {
    "no_consent_document": (
        "Tidak ada dokumen persetujuan orang tua: persetujuan tertulis wajib sebelum anak dapat diangkat "
        "(PP 54/2007 pasal 13).",
        "No consent document: the parents' written consent is required before the child can be adopted "
        "(PP 54/2007 art. 13).",
    ),
    "no_counselling": (
        "Tidak ada konseling tercatat: pekerja sosial seharusnya memberi konseling kepada ibu sebelum ia "
        "menyerahkan anaknya.",
        "No counselling recorded: a social worker is expected to counsel the mother before she gives up "
        "her child.",
    ),
    "witnesses_missing": ("Kurang dari dua saksi disebutkan.", "Fewer than two witnesses are named."),
    "soon_after_birth": (
        "Anak diserahkan dalam tujuh hari pertama setelah kelahirannya.",
        "The child was given up within the first seven days after the birth.",
    ),
    "before_birth": (
        "Tanggal penyerahan lebih awal daripada tanggal lahir pada data anak.",
        "Dated before the birth date on the child's record.",
    ),
    "nik_sex_differs": (
        "Jenis kelamin yang dikandung NIK berbeda dengan data ini (dicatat dan ditandai).",
        "The sex the NIK encodes differs from this record's (recorded, and flagged).",
    ),
    "nik_date_differs": (
        "Tanggal lahir yang dikandung NIK berbeda dengan data ini (dicatat dan ditandai).",
        "The date of birth the NIK encodes differs from this record's (recorded, and flagged).",
    ),
}


COUNSELLING_REQUIRED: Pair = (
    "wajib diisi: nomor catatan konseling atau tanggal konseling; bila ibu tidak mendapat konseling, "
    "centang kotak di bawah",
    "required: the counselling record's number or the date of counselling; if the mother was not "
    "counselled, tick the box below",
)


def pick(pair: Pair, lang: str) -> str:
    return pair[0] if lang == "id" else pair[1]
