"""The filters a face candidate was found with, as the queue and candidate pages show them: the stored
(English) age band is said in the page's language, numbers and date included."""

from __future__ import annotations

import pytest

from jaga.faces.pages import _environment, age_band_parts

STORED = {
    "age_band": "±max(12 months, 25%) around 28 months at 2025-05-20, aged on",
    "model_version": "dlib-resnet-v1",
    "region": "all (children are moved across provinces)",
    "sex": "F",
}


def _shown(lang: str, filters: dict[str, str]) -> str:
    template = _environment(lang).get_template("kerja/faces/_filters.html")
    return template.render(filters=filters, age_band_parts=lambda value: age_band_parts(value, lang))


def test_the_indonesian_page_says_the_age_band_in_indonesian() -> None:
    shown = _shown("id", STORED)
    assert "rentang usia: ±maks(12 bulan, 25%) di sekitar usia 28 bulan pada 20 Mei 2025" in shown
    assert "months" not in shown and "aged on" not in shown
    assert "semua (anak dipindahkan antarprovinsi)" in shown and "jenis kelamin: perempuan" in shown


def test_the_english_page_says_it_in_english() -> None:
    shown = _shown("en", STORED)
    assert "age band: ±max(12 months, 25%) around 28 months at May 20, 2025, aged on" in shown
    assert "sex: female" in shown


@pytest.mark.parametrize(
    "value", ["not applied: the child's age is unknown", "±max(12 months) around 28", 28, None]
)
def test_any_other_value_is_not_read_as_an_age_band(value: object) -> None:
    assert age_band_parts(value, "id") is None


def test_an_age_band_that_is_not_applied_is_translated_as_before() -> None:
    shown = _shown("id", {**STORED, "age_band": "not applied: the child's age is unknown"})
    assert "tidak diterapkan: usia anak tidak diketahui" in shown
