"""NIK (Nomor Induk Kependudukan) decoding and checking.

Layout `PP KK CC DDMMYY SSSS`: region of first issue (province, regency, district), date of birth with 40
added to the day for women, and an opaque serial. Sources: Dukcapil Klaten; Dukcapil DG (Tribunnews
2023-08-29); see docs/nik.md.
"""

from jaga.nik.check import NikCheck, check_nik
from jaga.nik.decode import DecodedNik, Sex, decode_nik, nik_birth_facts

__all__ = ["DecodedNik", "NikCheck", "Sex", "check_nik", "decode_nik", "nik_birth_facts"]
