"""The network detector and the outcomes it builds on, on hand-built cases: which babies carry a
suspicious signal, and when pieces of one ring are joined through an actor."""

from __future__ import annotations

from datetime import date, timedelta

import networkx as nx
import polars as pl

from jaga.flags.frames import load_frames
from jaga.flags.network import detect, merge_through_actors, unlicensed_institutions
from jaga.flags.stats.outcomes import compute_outcomes
from jaga.registry.models import Official
from tests.factories.flags import CREATED, DEMAK, DENPASAR, SEMARANG, Rows

TODAY = date(2026, 3, 1)


def _registrar(rows: Rows) -> Official:
    official = Official(
        ref="O-T00000001",
        region_code=SEMARANG,
        created_at=CREATED,
        full_name="Petugas Uji",
        name_normalised="petugas uji",
        role="registrar",
        office="Disdukcapil Kota Semarang",
    )
    rows.session.add(official)
    rows.session.flush()
    return official


def _late_sptjm(rows: Rows, registrar: Official, home: str) -> str:
    mother = rows.mother(date(1990, 1, 1), address_region_code=home + "01")
    birth = rows.birth(
        mother,
        date(2024, 1, 1),
        place_kind="home",
        birth_evidence="sptjm",
        registrar_id=registrar.id,
        registered_on=date(2024, 6, 1),
        registration_region_code=SEMARANG,
    )
    return birth.ref


def _suspicious(rows: Rows) -> dict[str, bool]:
    rows.session.flush()
    births = compute_outcomes(load_frames(rows.session)).births
    return dict(births.select("ref", "suspicious_registration").iter_rows())


def test_a_late_self_declared_birth_for_a_mother_of_another_regency_is_a_suspicious_registration(
    rows: Rows,
) -> None:
    registrar = _registrar(rows)
    same_province = _late_sptjm(rows, registrar, DEMAK)  # Demak, Jawa Tengah, registered in Semarang
    other_province = _late_sptjm(rows, registrar, DENPASAR)
    flags = _suspicious(rows)
    assert flags[same_province] and flags[other_province]


def test_a_late_self_declared_birth_for_a_mother_of_the_same_city_is_not(rows: Rows) -> None:
    registrar = _registrar(rows)
    local = _late_sptjm(rows, registrar, SEMARANG)
    assert _suspicious(rows)[local] is False


def _on_time_sptjm(rows: Rows, registrar: Official, home: str) -> str:
    mother = rows.mother(date(1990, 1, 1), address_region_code=home + "01")
    birth = rows.birth(
        mother,
        date(2024, 1, 1),
        place_kind="home",
        birth_evidence="sptjm",
        registrar_id=registrar.id,
        registered_on=date(2024, 1, 20),
        registration_region_code=SEMARANG,
    )
    return birth.ref


def test_an_on_time_self_declared_birth_is_suspicious_only_for_a_mother_of_another_province(
    rows: Rows,
) -> None:
    registrar = _registrar(rows)
    other_province = _on_time_sptjm(rows, registrar, DENPASAR)  # Bali, registered in Semarang
    same_province = _on_time_sptjm(rows, registrar, DEMAK)
    flags = _suspicious(rows)
    assert flags[other_province] is True and flags[same_province] is False


def test_ended_foster_care_is_not_a_hand_over_and_open_ended_foster_care_is(rows: Rows) -> None:
    institution = rows.institution()
    handed = {}
    for ended in (True, False):
        child = rows.person(birth_date=date(2024, 1, 1))
        given = rows.relinquishment(
            rows.mother(date(2000, 1, 1)), child, date(2024, 1, 5), institution_id=institution.id
        )
        carer = rows.person(sex="F", birth_date=date(1975, 1, 1))
        until = date(2024, 4, 1) if ended else None
        rows.placement(child, "foster_family", date(2024, 1, 8), carer_id=carer.id, to_date=until)
        handed[given.ref] = not ended
    rows.session.flush()
    intakes = compute_outcomes(load_frames(rows.session)).intakes
    assert dict(intakes.select("ref", "irregular_handover").iter_rows()) == handed


def _intakes(rows: Rows, institution_values: dict[str, object], babies: int) -> list[str]:
    """`babies` relinquished to one institution, each by its own mother, each with a family 20 days on."""
    institution = rows.institution(**institution_values)
    refs = []
    for i in range(babies):
        mother = rows.mother(date(2000, 1, 1))
        born = date(2024, 1, 1) + timedelta(days=40 * i)
        child = rows.person(birth_date=born)
        given = rows.relinquishment(mother, child, born + timedelta(days=5), institution_id=institution.id)
        family = rows.person(sex="F", birth_date=date(1980, 1, 1))
        rows.placement(child, "prospective_adopters", born + timedelta(days=25), carer_id=family.id)
        refs.append(given.ref)
    return refs


def test_intakes_by_a_foundation_without_a_licence_carry_the_signal_into_its_ring(rows: Rows) -> None:
    given = _intakes(
        rows,
        {"licence_number": None, "licence_valid_from": None, "licence_valid_until": None},
        babies=4,
    )
    intakes = compute_outcomes(load_frames(rows.session)).intakes
    assert intakes.filter(pl.col("ref").is_in(given))["unlicensed_intake"].to_list() == [True] * 4
    [ring] = detect(load_frames(rows.session), today=TODAY)
    assert ring.evidence["signals"]["unlicensed_intake"] == 4
    assert set(given) <= set(ring.records)


def test_intakes_by_a_licensed_institution_do_not_carry_the_signal(rows: Rows) -> None:
    given = _intakes(rows, {}, babies=4)
    intakes = compute_outcomes(load_frames(rows.session)).intakes
    assert intakes.filter(pl.col("ref").is_in(given))["unlicensed_intake"].to_list() == [False] * 4
    for ring in detect(load_frames(rows.session), today=TODAY):  # fast hand-overs may still make a ring
        assert "unlicensed_intake" not in ring.evidence["signals"]


def _scattered() -> tuple[nx.Graph, list[set[str]], dict[str, dict[str, object]]]:
    """Three communities, each holding one suspicious baby through the same institution."""
    graph = nx.Graph()
    babies: dict[str, dict[str, object]] = {}
    communities = []
    for i in range(3):
        child, mother, buyer = f"child:{i}", f"person:m{i}", f"person:b{i}"
        graph.add_edges_from([(child, mother), (child, buyer), (child, "institution:I-1")])
        babies[child] = {"signals": {"irregular_handover", "unlicensed_intake"}, "records": set()}
        communities.append({child, mother, buyer})
    communities[0].add("institution:I-1")
    return graph, communities, babies


def test_an_implicated_institution_gathers_every_community_it_carries_a_suspicious_baby_in() -> None:
    graph, communities, babies = _scattered()
    implicated = unlicensed_institutions(graph, babies)
    assert implicated == {"institution:I-1"}
    [ring] = merge_through_actors(graph, communities, babies, implicated)
    assert {"child:0", "child:1", "child:2"} <= ring


def test_an_actor_not_implicated_needs_two_suspicious_babies_in_each_community() -> None:
    graph, communities, babies = _scattered()
    assert len(merge_through_actors(graph, communities, babies)) == 3


def test_an_actor_behind_two_of_a_rings_babies_is_not_named_central() -> None:
    # A ring of six babies through one clinic; two of its mothers also passed through a busy hospital.
    from jaga.flags.network import _assess

    graph = nx.Graph()
    babies: dict[str, dict[str, object]] = {}
    for i in range(6):
        child = f"child:{i}"
        graph.add_edges_from([(child, f"person:m{i}"), (child, "facility:F-RING")])
        if i < 2:
            graph.add_edge(child, "facility:F-HOSPITAL")
        babies[child] = {"signals": {"irregular_handover"}, "records": {f"B-{i}"}}
    ring = _assess(graph, set(graph.nodes), babies, {})
    assert ring is not None
    assert [a["node"] for a in ring.evidence["central_actors"]] == ["F-RING"]
    assert "F-HOSPITAL" in ring.evidence["actors"]["facility"]  # still among the ring's actors
