"""Each record rule on a small hand-built case that fires, and on a near miss that does not."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from jaga.linkage.models import LinkDecision
from tests.factories.flags import DEMAK, DENPASAR, LAWFUL_DOMESTIC, SEMARANG, Rows
from tests.flags.conftest import Detect

FEMALE_1990_08_15 = "3374015508900001"  # day 15 + 40: a woman's NIK
TWO_WITNESSES = '[{"name":"Budi Santoso","nik":null},{"name":"Sri Wahyuni","nik":null}]'


def test_a_female_nik_on_a_male_record_is_flagged(rows: Rows, detect: Detect) -> None:
    person = rows.person(nik=FEMALE_1990_08_15, sex="M", birth_date=date(1990, 8, 15))
    [flag] = detect("nik_mismatch")
    assert flag.subject_ref == person.ref
    assert flag.evidence["sex_differs"] is True
    assert "the NIK encodes female, the record says male" in flag.explanation_en
    assert "NIK menandakan perempuan, catatan menyebut laki-laki" in flag.explanation_id


def test_a_nik_matching_its_record_is_not_flagged(rows: Rows, detect: Detect) -> None:
    rows.person(nik=FEMALE_1990_08_15, sex="F", birth_date=date(1990, 8, 15))
    assert detect("nik_mismatch") == []


def test_a_nik_date_years_away_scores_above_a_swapped_day_and_month(rows: Rows, detect: Detect) -> None:
    far = rows.person(nik=FEMALE_1990_08_15, sex="F", birth_date=date(1985, 8, 15))
    swapped = rows.person(nik="3374014805900002", sex="F", birth_date=date(1990, 8, 5))  # NIK: 8 May
    found = {c.subject_ref: c for c in detect("nik_mismatch")}
    assert found[far.ref].evidence["date_difference_days"] == (date(1990, 8, 15) - date(1985, 8, 15)).days
    assert found[swapped.ref].evidence["day_month_swapped"] is True
    assert "day and month of birth are swapped" in found[swapped.ref].explanation_en
    assert found[far.ref].score > found[swapped.ref].score


def test_a_mother_of_54_is_flagged_and_one_of_49_is_not(rows: Rows, detect: Detect) -> None:
    old = rows.birth(rows.mother(date(1970, 1, 1)), date(2024, 6, 1))
    rows.birth(rows.mother(date(1975, 1, 1)), date(2024, 6, 1))  # 49 years and 5 months
    [flag] = detect("mother_age_implausible")
    assert flag.subject_ref == old.ref
    assert flag.evidence == {"mother_age_years": 54.4, "band": "old"}
    assert "was 54 years old" in flag.explanation_en and "berusia 54 tahun" in flag.explanation_id


def test_a_mother_of_13_is_flagged_as_young(rows: Rows, detect: Detect) -> None:
    rows.birth(rows.mother(date(2011, 1, 1)), date(2024, 6, 1))
    [flag] = detect("mother_age_implausible")
    assert flag.evidence["band"] == "young"
    assert "(under 15)" in flag.explanation_en


def test_a_second_birth_four_months_after_the_first_is_impossible(rows: Rows, detect: Detect) -> None:
    mother = rows.mother(date(1995, 1, 1))
    first = rows.birth(mother, date(2024, 1, 1))
    second = rows.birth(mother, date(2024, 5, 1))
    [flag] = detect("birth_interval_impossible")
    assert flag.subject_ref == second.ref
    assert flag.evidence["previous_birth"] == first.ref
    assert flag.evidence["interval_days"] == 121
    assert "121 days after birth" in flag.explanation_en and "mustahil" in flag.explanation_id


def test_births_of_one_mother_recorded_by_two_agencies_are_joined_by_her_nik(
    rows: Rows, detect: Detect
) -> None:
    clinic = rows.mother(date(1995, 1, 1), nik=FEMALE_1990_08_15, source_kind="facility")
    registry = rows.mother(date(1995, 1, 1), nik=FEMALE_1990_08_15)
    rows.birth(clinic, date(2024, 1, 1))
    second = rows.birth(registry, date(2024, 7, 1))
    [flag] = detect("birth_interval_impossible")
    assert flag.subject_ref == second.ref
    assert flag.evidence["same_mother_record"] is False


def test_nine_months_apart_and_twins_are_not_flagged(rows: Rows, detect: Detect) -> None:
    mother = rows.mother(date(1995, 1, 1))
    rows.birth(mother, date(2024, 1, 1))
    rows.birth(mother, date(2024, 1, 2))  # a twin born after midnight
    rows.birth(mother, date(2024, 10, 1))  # 274 days later
    assert detect("birth_interval_impossible") == []


def test_the_same_child_recorded_twice_is_not_a_second_birth(rows: Rows, detect: Detect) -> None:
    mother = rows.mother(date(1995, 1, 1))
    rows.birth(mother, date(2024, 1, 1), child=rows.person(nik="3374010101240001"))
    rows.birth(mother, date(2024, 3, 1), child=rows.person(nik="3374010101240001", source_kind="facility"))
    assert detect("birth_interval_impossible") == []


def test_a_birth_registered_in_another_province_than_the_mothers_home_is_flagged(
    rows: Rows, detect: Detect
) -> None:
    mother = rows.mother(date(1995, 1, 1), address_region_code=DENPASAR + "01")
    birth = rows.birth(
        mother, date(2024, 1, 1), registered_on=date(2024, 1, 20), registration_region_code=SEMARANG
    )
    [flag] = detect("registered_far_from_residence")
    assert flag.subject_ref == birth.ref
    assert flag.evidence["other_province"] is True
    assert (
        "registered in region 33.74, while the mother lives in 51.71.01 (another province)"
        in flag.explanation_en
    )


def test_a_mother_living_in_the_same_regency_is_not_far(rows: Rows, detect: Detect) -> None:
    mother = rows.mother(date(1995, 1, 1), address_region_code=SEMARANG + "02")
    rows.birth(mother, date(2024, 1, 1), registered_on=date(2024, 1, 20), registration_region_code=SEMARANG)
    assert detect("registered_far_from_residence") == []


def test_a_late_birth_with_only_an_sptjm_is_flagged_with_both(rows: Rows, detect: Detect) -> None:
    birth = rows.birth(
        rows.mother(date(1995, 1, 1)),
        date(2024, 1, 1),
        birth_evidence="sptjm",
        registered_on=date(2024, 6, 1),
    )
    [flag] = detect("no_facility_statement")
    assert flag.subject_ref == birth.ref
    assert flag.evidence["late_registration"] is True
    assert flag.score == 0.5
    assert "registered 152 days after the birth (limit 60)" in flag.explanation_en
    assert "SPTJM" in flag.explanation_id


def test_a_birth_with_an_skl_has_a_facility_statement(rows: Rows, detect: Detect) -> None:
    rows.birth(
        rows.mother(date(1995, 1, 1)), date(2024, 1, 1), birth_evidence="skl", registered_on=date(2024, 6, 1)
    )
    assert detect("no_facility_statement") == []


def test_a_late_registration_then_relinquishment_within_weeks_is_flagged(rows: Rows, detect: Detect) -> None:
    mother = rows.mother(date(1995, 1, 1))
    birth = rows.birth(mother, date(2024, 1, 1), registered_on=date(2024, 4, 1))
    child = rows.session.get(type(mother), birth.child_id)
    assert child is not None
    given = rows.relinquishment(mother, child, date(2024, 4, 20))
    [flag] = detect("late_registration_then_relinquishment")
    assert flag.subject_ref == birth.ref
    assert flag.evidence["handover_ref"] == given.ref
    assert flag.evidence["days_after_registration"] == 19
    assert "91 days after the birth (limit 60 days)" in flag.explanation_en


def test_an_on_time_registration_before_a_relinquishment_is_not_flagged(rows: Rows, detect: Detect) -> None:
    mother = rows.mother(date(1995, 1, 1))
    birth = rows.birth(mother, date(2024, 1, 1), registered_on=date(2024, 2, 15))
    child = rows.session.get(type(mother), birth.child_id)
    assert child is not None
    rows.relinquishment(mother, child, date(2024, 3, 1))
    late = rows.birth(rows.mother(date(1995, 1, 1)), date(2024, 1, 1), registered_on=date(2024, 4, 1))
    late_child = rows.session.get(type(mother), late.child_id)
    assert late_child is not None
    rows.relinquishment(mother, late_child, date(2024, 12, 1))  # 244 days after registration
    assert detect("late_registration_then_relinquishment") == []


def test_a_court_ruling_straight_after_the_application_is_out_of_order(rows: Rows, detect: Detect) -> None:
    case = rows.case(rows.person(), rows.person(), date(2024, 1, 10))
    rows.steps(
        case,
        ("application", date(2024, 1, 10), None, []),
        ("court_ruling", date(2024, 2, 1), "granted", ["court_ruling"]),
    )
    [flag] = detect("adoption_steps_out_of_order")
    assert flag.subject_ref == case.ref
    assert flag.evidence["broken_steps"][0] == {
        "step": "court_ruling",
        "rule": "out-of-order",
        "missing": "eligibility_check",
    }
    assert "court_ruling taken before eligibility_check" in flag.explanation_en


def test_a_recommendation_after_two_months_of_care_is_flagged(rows: Rows, detect: Detect) -> None:
    case = rows.case(rows.person(), rows.person(), date(2024, 1, 10))
    early = [*LAWFUL_DOMESTIC[:4], ("recommendation", date(2024, 4, 15), "passed", ["pipa_recommendation"])]
    rows.steps(case, *early)
    [flag] = detect("adoption_steps_out_of_order")
    assert flag.evidence["broken_steps"][0]["rule"] == "step-not-allowed"
    assert "6 months of temporary care" in flag.explanation_en


def test_a_lawful_case_is_in_order(rows: Rows, detect: Detect) -> None:
    rows.steps(rows.case(rows.person(), rows.person(), date(2024, 1, 10)), *LAWFUL_DOMESTIC)
    assert detect("adoption_steps_out_of_order") == []


def test_a_child_with_the_adopters_before_any_ruling_or_permit_is_flagged(rows: Rows, detect: Detect) -> None:
    child, adopter = rows.person(), rows.person()
    case = rows.case(child, adopter, date(2024, 1, 10))
    rows.steps(case, ("application", date(2024, 1, 10), None, []))
    placed = rows.placement(child, "prospective_adopters", date(2024, 1, 12), carer_id=adopter.id)
    [flag] = detect("placement_before_court_ruling")
    assert flag.subject_ref == placed.ref
    assert flag.evidence["adoption_case"] == case.ref
    assert flag.evidence["court_ruling_on"] is None
    assert (
        "with no court ruling to this day (779 days), without a temporary-care permit" in flag.explanation_en
    )


def test_temporary_care_under_a_permit_is_not_flagged(rows: Rows, detect: Detect) -> None:
    child, adopter = rows.person(), rows.person()
    case = rows.case(child, adopter, date(2024, 1, 10))
    rows.steps(case, *LAWFUL_DOMESTIC)
    rows.placement(
        child, "prospective_adopters", date(2024, 2, 15), adoption_case_id=case.id, carer_id=adopter.id
    )
    assert detect("placement_before_court_ruling") == []


def test_intake_after_the_licence_expired_is_flagged(rows: Rows, detect: Detect) -> None:
    lapsed = rows.institution(licence_valid_until=date(2019, 12, 31))
    mother, child = rows.person(), rows.person()
    taken = rows.relinquishment(mother, child, date(2020, 5, 1), institution_id=lapsed.id)
    rows.relinquishment(mother, rows.person(), date(2019, 12, 31), institution_id=lapsed.id)  # last valid day
    [flag] = detect("institution_unlicensed")
    assert flag.subject_ref == lapsed.ref
    assert flag.evidence["intakes"] == 1 and flag.evidence["reasons"] == {"expired": 1}
    assert taken.ref in flag.records
    assert "was not valid on the day (valid until 2019-12-31)" in flag.explanation_en


def test_a_foundation_with_papers_but_no_licence_is_flagged(rows: Rows, detect: Detect) -> None:
    foundation = rows.institution(
        licence_number=None, licence_valid_from=None, licence_valid_until=None, foundation_number="AHU-1"
    )
    rows.placement(rows.person(), "institution", date(2024, 3, 1), institution_id=foundation.id)
    [flag] = detect("institution_unlicensed")
    assert flag.evidence["foundation_papers"] is True
    assert "foundation papers only, which are not a licence" in flag.explanation_en
    assert "hanya akta yayasan" in flag.explanation_id


def test_intake_by_a_licensed_institution_is_not_flagged(rows: Rows, detect: Detect) -> None:
    licensed = rows.institution()
    rows.placement(rows.person(), "institution", date(2024, 3, 1), institution_id=licensed.id)
    assert detect("institution_unlicensed") == []


def test_an_intercountry_child_with_the_adopters_after_only_the_application_is_flagged(
    rows: Rows, detect: Detect
) -> None:
    child, adopter = rows.person(), rows.person(nationality="SGP")
    case = rows.case(child, adopter, date(2024, 1, 10), kind="intercountry")
    rows.steps(case, ("application", date(2024, 1, 10), None, []))
    rows.placement(child, "prospective_adopters", date(2024, 1, 20), carer_id=adopter.id)
    [flag] = detect("intercountry_steps_missing")
    assert flag.subject_ref == case.ref
    assert flag.evidence["missing_steps"] == [
        "residence_verification",
        "temporary_care",
        "ministerial_permit",
        "court_ruling",
    ]


def test_an_intercountry_placement_under_a_care_permit_not_yet_a_year_old_is_not_flagged(
    rows: Rows, detect: Detect
) -> None:
    child, adopter = rows.person(), rows.person(nationality="SGP")
    case = rows.case(child, adopter, date(2025, 1, 10), kind="intercountry")
    rows.steps(
        case,
        ("application", date(2025, 1, 10), None, []),
        ("residence_verification", date(2025, 1, 20), None, ["residence_permit", "police_clearance"]),
        ("eligibility_check", date(2025, 2, 1), "passed", []),
        ("home_study", date(2025, 2, 10), None, ["home_study_report"]),
        ("temporary_care", date(2025, 3, 15), None, ["care_permit"]),
    )
    rows.placement(
        child, "prospective_adopters", date(2025, 3, 15), adoption_case_id=case.id, carer_id=adopter.id
    )
    assert detect("intercountry_steps_missing") == []


def test_a_missing_child_turning_up_under_the_same_nik_in_an_institution_is_flagged(
    rows: Rows, detect: Detect
) -> None:
    reported = rows.person(nik="3374010101220001", source_kind="police")
    report = rows.missing(reported, date(2024, 1, 1))
    intake = rows.person(nik="3374010101220001", source_kind="institution", region_code=DENPASAR)
    placed = rows.placement(intake, "institution", date(2024, 3, 1), region_code=DENPASAR)
    [flag] = detect("missing_child_reappears")
    assert flag.subject_ref == report.ref
    assert flag.evidence["days_after_last_seen"] == 60
    assert flag.evidence["other_province"] is True
    assert placed.ref in flag.records and intake.ref in flag.records
    assert "turns up 60 days later in a placement" in flag.explanation_en


def test_a_placement_before_the_child_went_missing_or_of_another_child_is_not_flagged(
    rows: Rows, detect: Detect
) -> None:
    reported = rows.person(nik="3374010101220001", source_kind="police")
    rows.missing(reported, date(2024, 1, 1))
    earlier = rows.person(nik="3374010101220001", source_kind="institution")
    rows.placement(earlier, "institution", date(2023, 6, 1))
    other = rows.person(nik="3374010101220002", source_kind="institution")
    rows.placement(other, "institution", date(2024, 3, 1))
    assert detect("missing_child_reappears") == []


KK_A = "3374012001150003"
KK_B = "3374012001150004"


def test_a_renamed_child_is_found_by_family_card_sex_and_a_birth_date_a_few_days_off(
    rows: Rows, detect: Detect
) -> None:
    # The police's record has a name and a birth date; Dukcapil's (linked by NIK) the family card; the
    # intake record has a new name, the card, and a birth date nine days off.
    reported = rows.person(nik="3374010101220001", source_kind="police", sex="F", birth_date=date(2022, 1, 1))
    rows.person(nik="3374010101220001", kk_number=KK_A, sex="F", birth_date=date(2022, 1, 1))
    report = rows.missing(reported, date(2024, 1, 1))
    renamed = rows.person(
        source_kind="institution", kk_number=KK_A, sex="F", birth_date=date(2022, 1, 10), region_code=DENPASAR
    )
    placed = rows.placement(renamed, "institution", date(2024, 4, 1), region_code=DENPASAR)
    [flag] = detect("missing_child_reappears")
    assert flag.subject_ref == report.ref and placed.ref in flag.records and renamed.ref in flag.records


def test_another_card_another_sex_or_a_birth_date_months_off_is_not_the_reported_child(
    rows: Rows, detect: Detect
) -> None:
    reported = rows.person(source_kind="police", kk_number=KK_A, sex="F", birth_date=date(2022, 1, 1))
    rows.missing(reported, date(2024, 1, 1))
    for kk, sex, born in (
        (KK_B, "F", date(2022, 1, 1)),
        (KK_A, "M", date(2022, 1, 1)),
        (KK_A, "F", date(2022, 6, 1)),
    ):
        other = rows.person(source_kind="institution", kk_number=kk, sex=sex, birth_date=born)
        rows.placement(other, "institution", date(2024, 4, 1))
    assert detect("missing_child_reappears") == []


def test_a_closed_report_whose_child_someone_else_gives_up_ranks_as_an_open_one(
    rows: Rows, detect: Detect
) -> None:
    mother = rows.mother(date(1990, 1, 1), nik="3374014101900001")
    stranger = rows.mother(date(1988, 1, 1), nik="3374014101880002")
    scores = {}
    for status, giver in (("closed", stranger), ("closed", mother), ("found", stranger)):
        nik = f"33740101012200{len(scores) + 1:02d}"
        reported = rows.person(nik=nik, source_kind="police")
        report = rows.missing(reported, date(2024, 1, 1), status=status, reporter_id=mother.id)
        child = rows.person(nik=nik, source_kind="institution")
        rows.relinquishment(giver, child, date(2024, 3, 1))
        scores[report.ref] = (status, giver is stranger)
    found = {f.subject_ref: f for f in detect("missing_child_reappears")}
    by_case = {scores[ref]: flag for ref, flag in found.items()}
    assert (
        by_case[("closed", True)].score == 0.96 and by_case[("closed", True)].evidence["given_up_by_another"]
    )
    assert by_case[("closed", False)].score == 0.5  # the reporter herself
    assert by_case[("found", True)].score == 0.5  # found: whatever came after is judged as before
    assert "given up by someone other than the reporter" in by_case[("closed", True)].explanation_en


def test_a_home_birth_registered_to_a_woman_adopting_another_baby_is_flagged(
    rows: Rows, detect: Detect
) -> None:
    # The civil registry's record of her and the social service's share her NIK: one woman.
    buyer = rows.mother(date(1985, 1, 1), nik="3174014101850001", address_region_code=DENPASAR + "01")
    applicant = rows.person(nik="3174014101850001", source_kind="social_service", sex="F")
    bought = rows.person(source_kind="institution", birth_date=date(2024, 2, 1))
    case = rows.case(bought, applicant, date(2024, 3, 20))
    birth = rows.birth(
        buyer,
        date(2024, 2, 10),
        place_kind="home",
        birth_evidence="sptjm",
        registered_on=date(2024, 6, 1),
        registration_region_code=SEMARANG,
    )
    [flag] = detect("birth_to_adopting_mother")
    assert flag.subject_ref == birth.ref
    assert case.ref in flag.records and bought.ref in flag.records
    assert flag.evidence["days_from_birth_to_taking_in"] == 39
    assert flag.score == 0.95  # late, and registered in Semarang for a mother of Denpasar
    assert "one baby may be on record twice" in flag.explanation_en
    assert "satu bayi bisa tercatat dua kali" in flag.explanation_id


def test_a_facility_birth_a_birth_long_before_or_the_adopted_child_herself_is_not_flagged(
    rows: Rows, detect: Detect
) -> None:
    mother = rows.mother(date(1985, 1, 1))
    taken = rows.person(source_kind="institution", birth_date=date(2024, 2, 1))
    rows.placement(taken, "prospective_adopters", date(2024, 3, 1), carer_id=mother.id)
    rows.birth(mother, date(2024, 2, 1))  # with a facility's birth statement
    rows.birth(mother, date(2022, 1, 1), birth_evidence="sptjm")  # two years before
    # The adopted child registered to her after the adoption: the same child, not a second baby.
    other = rows.mother(date(1980, 1, 1))
    child = rows.person(birth_date=date(2023, 5, 1))
    rows.case(child, other, date(2023, 6, 1))
    rows.birth(other, date(2023, 5, 1), birth_evidence="sptjm", child=child)
    assert detect("birth_to_adopting_mother") == []


def test_a_renamed_child_is_found_by_her_description_where_her_police_record_links_to_nothing(
    rows: Rows, detect: Detect
) -> None:
    # The police's record has no NIK and an address in another regency, so nothing links it; Dukcapil's
    # record of her (her sex and birth date, living where she was last seen) carries the NIK she turns
    # up under, renamed.
    born = date(2022, 1, 1)
    reported = rows.person(source_kind="police", sex="F", birth_date=born, address_region_code=DEMAK + "01")
    report = rows.missing(reported, date(2024, 1, 1))  # last seen in SEMARANG + "01"
    rows.person(nik="3374014101220001", sex="F", birth_date=born, address_region_code=SEMARANG + "01")
    renamed = rows.person(nik="3374014101220001", source_kind="institution", region_code=DENPASAR)
    placed = rows.placement(renamed, "institution", date(2024, 4, 1), region_code=DENPASAR)
    [flag] = detect("missing_child_reappears")
    assert flag.subject_ref == report.ref and placed.ref in flag.records and renamed.ref in flag.records
    assert flag.evidence["matched_by"] == "description"
    assert flag.score == 0.96  # open, in another province, a step below a match by papers (1.0)
    assert "known by her sex, birth date and the district she was last seen in" in flag.explanation_en
    assert "dikenali dari jenis kelamin, tanggal lahir" in flag.explanation_id


def test_another_district_sex_or_birth_date_is_not_the_reported_childs_description(
    rows: Rows, detect: Detect
) -> None:
    born = date(2022, 1, 1)
    reported = rows.person(source_kind="police", sex="F", birth_date=born)
    rows.missing(reported, date(2024, 1, 1))  # last seen in SEMARANG + "01"
    for number, sex, birth_date, district in (
        ("3374014101220002", "F", born, SEMARANG + "02"),
        ("3374010101220003", "M", born, SEMARANG + "01"),
        ("3374014201220004", "F", date(2022, 1, 2), SEMARANG + "01"),
    ):
        rows.person(nik=number, sex=sex, birth_date=birth_date, address_region_code=district)
        renamed = rows.person(nik=number, source_kind="institution", region_code=DENPASAR)
        rows.placement(renamed, "institution", date(2024, 4, 1), region_code=DENPASAR)
    assert detect("missing_child_reappears") == []


def test_a_child_without_papers_of_the_reported_childs_sex_and_birth_date_is_a_possible_match(
    rows: Rows, detect: Detect
) -> None:
    # Renamed, and given up with neither her NIK nor her family card: only sex and birth date are left.
    reported = rows.person(nik="3374010101220001", source_kind="police", sex="F", birth_date=date(2022, 1, 1))
    report = rows.missing(reported, date(2024, 1, 1))
    renamed = rows.person(
        source_kind="institution", sex="F", birth_date=date(2022, 1, 4), region_code=DENPASAR
    )
    giver = rows.mother(date(1990, 1, 1), region_code=DENPASAR)
    given_up = rows.relinquishment(giver, renamed, date(2024, 5, 1), region_code=DENPASAR)
    assert detect("missing_child_reappears") == []
    [flag] = detect("missing_child_possible_match")
    assert flag.subject_ref == report.ref
    assert given_up.ref in flag.records and renamed.ref in flag.records and reported.ref in flag.records
    assert flag.evidence["birth_dates_days_apart"] == 3 and flag.evidence["children_matching_report"] == 1
    assert flag.score == 0.96  # unambiguous, close, in another province: a step below a match by papers
    assert "the child without papers (no NIK, family card or birth record)" in flag.explanation_en
    assert "the only child that matches" in flag.explanation_en
    assert "anak tanpa dokumen" in flag.explanation_id


def test_a_child_with_papers_another_sex_far_off_or_in_care_before_is_no_possible_match(
    rows: Rows, detect: Detect
) -> None:
    reported = rows.person(source_kind="police", sex="F", birth_date=date(2022, 1, 1))
    rows.missing(reported, date(2024, 1, 1))
    papered = rows.person(
        nik="3374010101220009", source_kind="institution", sex="F", birth_date=date(2022, 1, 1)
    )
    carded = rows.person(kk_number=KK_B, source_kind="institution", sex="F", birth_date=date(2022, 1, 1))
    born_here = rows.person(source_kind="institution", sex="F", birth_date=date(2022, 1, 1))
    rows.birth(rows.mother(date(1992, 1, 1)), date(2022, 1, 1), child=born_here)
    boy = rows.person(source_kind="institution", sex="M", birth_date=date(2022, 1, 1))
    older = rows.person(source_kind="institution", sex="F", birth_date=date(2021, 11, 1))  # 61 days
    for child in (papered, carded, born_here, boy, older):
        rows.placement(child, "institution", date(2024, 4, 1))
    before = rows.person(source_kind="institution", sex="F", birth_date=date(2022, 1, 1))
    rows.placement(before, "institution", date(2023, 12, 1))  # before she went missing
    assert detect("missing_child_possible_match") == []


def test_two_children_matching_one_report_rank_below_a_unique_match(rows: Rows, detect: Detect) -> None:
    reported = rows.person(source_kind="police", sex="M", birth_date=date(2021, 6, 1))
    report = rows.missing(reported, date(2024, 1, 1))
    for born in (date(2021, 6, 1), date(2021, 6, 20)):
        child = rows.person(source_kind="institution", sex="M", birth_date=born)
        rows.placement(child, "institution", date(2024, 2, 1))
    [flag] = detect("missing_child_possible_match")
    assert flag.subject_ref == report.ref and flag.score == 0.7
    assert flag.evidence["children_matching_report"] == 2
    assert "2 children match this report" in flag.explanation_en


def test_a_bare_relinquishment_a_day_after_the_birth_is_flagged_with_every_missing_safeguard(
    rows: Rows, detect: Detect
) -> None:
    mother = rows.mother(date(1995, 1, 1))
    child = rows.person(birth_date=date(2024, 3, 1))
    bare = rows.relinquishment(mother, child, date(2024, 3, 2))
    [flag] = detect("relinquishment_safeguards_missing")
    assert (flag.subject_type, flag.subject_ref) == ("relinquishment", bare.ref)
    assert flag.evidence == {
        "consent_document": False,
        "counselled": False,
        "witnesses": 0,
        "days_after_birth": 1,
    }
    assert flag.score == 1.0
    assert flag.explanation_en == (
        f"Relinquishment {bare.ref} was recorded without a consent document, without counselling and "
        "with 0 of 2 witnesses, 1 day after the child's birth."
    )
    assert flag.explanation_id == (
        f"Penyerahan anak {bare.ref} dicatat tanpa surat persetujuan, tanpa konseling dan dengan 0 dari 2 "
        "saksi, 1 hari setelah anak lahir."
    )
    assert set(flag.records) == {bare.ref, mother.ref, child.ref}


def test_a_relinquishment_missing_only_its_counselling_ranks_below_a_bare_one(
    rows: Rows, detect: Detect
) -> None:
    mother = rows.mother(date(1995, 1, 1))
    child = rows.person(birth_date=date(2024, 3, 1))
    rows.relinquishment(mother, child, date(2024, 5, 1), consent_document="SP/1", witnesses=TWO_WITNESSES)
    [flag] = detect("relinquishment_safeguards_missing")
    assert flag.score == 0.25
    assert flag.explanation_en.endswith("was recorded without counselling, 61 days after the child's birth.")


def test_a_relinquishment_with_its_safeguards_is_not_flagged_even_days_after_the_birth(
    rows: Rows, detect: Detect
) -> None:
    mother = rows.mother(date(1995, 1, 1))
    child = rows.person(birth_date=date(2024, 3, 1))
    rows.relinquishment(
        mother,
        child,
        date(2024, 3, 3),
        consent_document="SP/2",
        counselled_on=date(2024, 3, 2),
        witnesses=TWO_WITNESSES,
    )
    assert detect("relinquishment_safeguards_missing") == []


def test_a_reviewers_same_person_decision_counts_without_a_nik_or_a_linkage_run(
    rows: Rows, detect: Detect, session: Session
) -> None:
    # A face-match confirmation: two records no run scored, no shared NIK, decided the same child.
    reported = rows.person(source_kind="police")
    report = rows.missing(reported, date(2024, 1, 1))
    intake = rows.person(source_kind="institution", region_code=DENPASAR)
    rows.placement(intake, "institution", date(2024, 3, 1), region_code=DENPASAR)
    assert detect("missing_child_reappears") == []
    session.add(
        LinkDecision(
            left_id=min(reported.id, intake.id),
            right_id=max(reported.id, intake.id),
            decision="same",
            decided_at=datetime(2024, 4, 1, tzinfo=UTC),
        )
    )
    [flag] = detect("missing_child_reappears")
    assert flag.subject_ref == report.ref and intake.ref in flag.records
    session.query(LinkDecision).update({"decision": "different"})
    assert detect("missing_child_reappears") == []
