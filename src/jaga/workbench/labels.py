"""Names of record kinds and fields as officers read them, Indonesian and English.

Kept as a table rather than gettext messages: they are looked up by the data's own keys, which Babel's
extraction cannot see in a template.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "person": ("Data orang", "Person record"),
    "birth": ("Kelahiran", "Birth"),
    "birth_registration": ("Pencatatan kelahiran", "Birth registered"),
    "relinquishment": ("Penyerahan anak", "Relinquishment"),
    "placement": ("Pengasuhan", "Placement"),
    "placement_end": ("Akhir pengasuhan", "Placement ended"),
    "adoption_case": ("Perkara pengangkatan anak", "Adoption case"),
    "adoption_step": ("Tahap pengangkatan anak", "Adoption step"),
    "missing_report": ("Laporan anak hilang", "Missing-child report"),
    "certificate": ("Sertifikat", "Certificate"),
    "flag": ("Tanda bahaya", "Flag"),
    "flag_found": ("Tanda bahaya ditemukan", "Flag found"),
    "flag_decision": ("Keputusan atas tanda", "Decision on the flag"),
    "tip": ("Laporan masyarakat", "Tip from the public"),
    "name": ("Nama", "Name"),
    "full_name": ("Nama lengkap", "Full name"),
    "birth_date": ("Tanggal lahir", "Date of birth"),
    "mother_name": ("Nama ibu", "Mother's name"),
    "region_code": ("Wilayah data", "Record's region"),
    "address_region_code": ("Wilayah alamat", "Address region"),
    "source_kind": ("Sumber data", "Record of"),
    "sex": ("Jenis kelamin", "Sex"),
    "nik": ("NIK", "NIK"),
    "record_of": ("Sumber data", "Record of"),
    "facility": ("Fasilitas kesehatan", "Facility"),
    "attendant": ("Penolong persalinan", "Birth attendant"),
    "akta_number": ("Nomor akta", "Akta number"),
    "registered_on": ("Dicatat pada", "Registered on"),
    "registrar_office": ("Kantor pencatat", "Registry office"),
    "institution": ("Lembaga", "Institution"),
    "consent_document": ("Dokumen persetujuan", "Consent document"),
    "counselled_on": ("Konseling pada", "Counselled on"),
    "witnesses": ("Jumlah saksi", "Witnesses"),
    "placement_kind": ("Jenis pengasuhan", "Kind of placement"),
    "until": ("Sampai", "Until"),
    "case_kind": ("Jenis perkara", "Kind of case"),
    "status": ("Status", "Status"),
    "current_step": ("Tahap saat ini", "Current step"),
    "step": ("Tahap", "Step"),
    "outcome": ("Hasil", "Outcome"),
    "documents": ("Dokumen", "Documents"),
    "police_unit": ("Unit kepolisian", "Police unit"),
    "last_seen": ("Terakhir terlihat di", "Last seen in"),
    "certificate_kind": ("Jenis sertifikat", "Kind of certificate"),
    "flag_kind": ("Jenis tanda bahaya", "Kind of flag"),
    "score": ("Skor", "Score"),
    "flag_id": ("Nomor tanda bahaya", "Flag number"),
}


def label(key: str, lang: str) -> str:
    indonesian, english = LABELS.get(key, (key, key))
    return indonesian if lang == "id" else english
