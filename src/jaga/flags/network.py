"""Network detector: rings, not single records.

A graph of the people (merged by linkage identity), facilities, attendants, registrars, institutions,
relinquishment witnesses, phone numbers and addresses around every child that left its mother's care
(relinquished, placed, in an adoption case, reported missing) or whose registration looks falsified.
Only that neighbourhood is built: the millions of ordinary births never enter it, so the graph stays small
at national scale. Louvain communities (networkx, fixed seed) are ranked by what is suspicious in them:
babies that reached a family fast or without a care permit, falsified-looking registrations, mothers from
another province, intakes by institutions without a valid licence, statistically flagged actors
(`jaga.flags.stats`), and many babies through few actors.
One `network` candidate per suspicious community names its actors in the evidence.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from datetime import date
from typing import Any

import networkx as nx
import polars as pl

from jaga.flags.candidates import Candidate
from jaga.flags.frames import Frames
from jaga.flags.stats import METRICS, analyse
from jaga.flags.stats.outcomes import Outcomes

MIN_SUSPICIOUS_BABIES = 3  # a ring moves several babies; one odd case is a record rule's business
MIN_SUSPICIOUS_SHARE = 0.5  # of the community's babies
MIN_CENTRAL_BABIES = 3  # an actor is central to a ring when this many suspicious babies pass through it
MAX_RECORDS = 5000  # a ring names every record (the store keeps them as JSON); the cap guards the size
ENTITY_TYPES = ("facility", "attendant", "official", "institution")
ENTITY_PREFIX = {m.kind: m.subject_type for m in METRICS}  # statistical metric -> its node type
ENTITY_FRAMES = {
    "facility": "facilities",
    "attendant": "attendants",
    "official": "officials",
    "institution": "institutions",
}


def detect(frames: Frames, *, today: date) -> list[Candidate]:
    """One candidate per suspicious community of the care neighbourhood (see the module docstring)."""
    outcomes, compared = analyse(frames)
    flagged = compared.filter(pl.col("flagged"))
    graph, babies = build_graph(frames, outcomes)
    if graph.number_of_nodes() == 0:
        return []
    flagged_refs: dict[str, list[str]] = defaultdict(list)
    for metric, ref in flagged.select("metric", "entity_ref").iter_rows():
        flagged_refs[ref].append(metric)
    communities = nx.community.louvain_communities(graph, seed=7, resolution=1.0)
    implicated = {
        f"{ENTITY_PREFIX[metric]}:{ref}" for ref, metrics in flagged_refs.items() for metric in metrics
    }
    implicated |= unlicensed_institutions(graph, babies)
    found = []
    for members in merge_through_actors(graph, communities, babies, implicated):
        candidate = _assess(graph, members, babies, flagged_refs)
        if candidate is not None:
            found.append(candidate)
    return sorted(found, key=lambda c: -c.score)


def merge_through_actors(
    graph: nx.Graph,
    communities: list[set[str]],
    babies: dict[str, dict[str, Any]],
    implicated: frozenset[str] | set[str] = frozenset(),
) -> list[set[str]]:
    """Communities joined when the same actor moves suspicious babies in each of them.

    Louvain may cut one ring in pieces (the babies through one midwife, those through the other); a
    facility, attendant, registrar, institution or witness set that carries at least two suspicious babies
    in two communities is one ring to an investigator. An actor already implicated on its own (flagged by
    the statistics, or an institution taking in children without a licence) gathers every community in
    which it carries even one suspicious baby: an investigator starting from that actor follows each of
    its babies, and a foundation's intakes, each with its own mother and buyer, are otherwise scattered
    over as many communities as babies.
    """
    parent = list(range(len(communities)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    holder: dict[str, int] = {}
    for index, members in enumerate(communities):
        through: Counter[str] = Counter()
        for child in members:
            if child in babies and babies[child]["signals"]:
                for neighbour in graph.neighbors(child):
                    if neighbour.partition(":")[0] in (*ENTITY_TYPES, "witness"):
                        through[neighbour] += 1
        for actor, count in through.items():
            if count < 2 and actor not in implicated:
                continue
            if actor in holder:
                parent[root(index)] = root(holder[actor])
            else:
                holder[actor] = index
    merged: dict[int, set[str]] = defaultdict(set)
    for index, members in enumerate(communities):
        merged[root(index)].update(members)
    return list(merged.values())


def unlicensed_institutions(graph: nx.Graph, babies: dict[str, dict[str, Any]]) -> set[str]:
    """Institution nodes that took in a baby on a day they held no licence."""
    return {
        neighbour
        for node, info in babies.items()
        if "unlicensed_intake" in info["signals"]
        for neighbour in graph.neighbors(node)
        if neighbour.startswith("institution:")
    }


def build_graph(frames: Frames, outcomes: Outcomes) -> tuple[nx.Graph, dict[str, dict[str, Any]]]:
    """The care neighbourhood; and per baby node, its signals and records."""
    births, intakes, keys = outcomes.births, outcomes.intakes, outcomes.identity
    entity_refs = {
        kind: dict(getattr(frames, table).select("id", "ref").iter_rows())
        for kind, table in ENTITY_FRAMES.items()
    }
    # Only the people named by care records need their key looked up (not the millions of mothers).
    named = pl.concat(
        [
            frames.placements.select(pl.col("child_id").alias("id")),
            frames.placements.select(pl.col("carer_id").alias("id")),
            frames.adoption_cases.select(pl.col("child_id").alias("id")),
            frames.adoption_cases.select(pl.col("adopter_id").alias("id")),
            frames.adoption_cases.select(pl.col("co_adopter_id").alias("id")),
            frames.missing_reports.select(pl.col("child_id").alias("id")),
            frames.missing_reports.select(pl.col("reporter_id").alias("id")),
        ]
    ).drop_nulls()
    person_key: dict[int, str] = dict(
        keys.filter(pl.col("person_id").is_in(named["id"].implode())).iter_rows()
    )
    care_children: set[str] = set()
    care_children.update(intakes["child_key"].drop_nulls().to_list())
    for frame, column in (
        (frames.placements, "child_id"),
        (frames.adoption_cases, "child_id"),
        (frames.missing_reports, "child_id"),
    ):
        care_children.update(person_key[i] for i in frame[column].to_list() if i in person_key)
    selected = births.filter(
        pl.col("child_key").is_in(list(care_children))
        | pl.col("relinquished")
        | pl.col("suspicious_registration")
        | pl.col("irregular_handover")
    )
    graph = nx.Graph()
    babies: dict[str, dict[str, Any]] = {}

    def baby(key: str) -> tuple[str, dict[str, Any]]:
        node = f"child:{key}"
        if node not in babies:
            babies[node] = {"signals": set(), "records": set(), "people": set()}
            graph.add_node(node, kind="child")
        return node, babies[node]

    def link(node: str, other: str, kind: str) -> None:
        graph.add_node(other, kind=kind)
        graph.add_edge(node, other)

    def link_entity(node: str, kind: str, entity_id: int | None) -> None:
        if entity_id is not None:
            link(node, f"{kind}:{entity_refs[kind][entity_id]}", kind)

    def link_person(node: str, row: dict[str, Any], column: str) -> None:
        # Only people already keyed (named by care records) join the graph.
        if row[column] is not None and row[column] in person_key:
            link(node, f"person:{person_key[row[column]]}", "person")

    for row in selected.iter_rows(named=True):
        node, info = baby(row["child_key"])
        info["records"].add(row["ref"])
        if row["relinquishment_ref"]:
            info["records"].add(row["relinquishment_ref"])
        for signal in ("irregular_handover", "suspicious_registration"):
            if row[signal]:
                info["signals"].add(signal)
        if row["relinquished"] and row["mother_out_of_province"]:
            info["signals"].add("out_of_province_mother")
        link(node, f"person:{row['mother_key']}", "person")
        link_entity(node, "facility", row["facility_id"])
        link_entity(node, "attendant", row["attendant_id"])
        if row["suspicious_registration"]:
            link_entity(node, "official", row["registrar_id"])

    for row in intakes.iter_rows(named=True):
        node, info = baby(row["child_key"])
        info["records"].add(row["ref"])
        if row["irregular_handover"]:
            info["signals"].add("irregular_handover")
        if row["unlicensed_intake"]:
            info["signals"].add("unlicensed_intake")
        link(node, f"person:{row['mother_key']}", "person")
        link_entity(node, "institution", row["institution_id"])
        for witness in json.loads(row["witnesses"] or "[]"):
            name = " ".join(str(witness.get("name") or "").lower().split())
            if name:
                link(node, f"witness:{name}|{witness.get('nik') or ''}", "witness")

    # The care records: the child's node, and the institution and people each record names, in order.
    for frame, columns in (
        (frames.placements, ("institution_id", "carer_id")),
        (frames.adoption_cases, ("adopter_id", "co_adopter_id", "institution_id")),
        (frames.missing_reports, ("reporter_id",)),
    ):
        for row in frame.iter_rows(named=True):
            key = person_key.get(row["child_id"])
            if key is None:
                continue
            node, info = baby(key)
            info["records"].add(row["ref"])
            for column in columns:
                if column == "institution_id":
                    link_entity(node, "institution", row[column])
                else:
                    link_person(node, row, column)

    _contacts(frames, graph, keys)
    return graph, babies


def _contacts(frames: Frames, graph: nx.Graph, keys: pl.DataFrame) -> None:
    """Phone numbers and written addresses shared by people already in the graph."""
    in_graph = [node.removeprefix("person:") for node in graph if node.startswith("person:")]
    people = (
        frames.people.filter(pl.col("phone").is_not_null() | pl.col("address").is_not_null())
        .select(pl.col("id").alias("person_id"), "phone", "address")
        .join(keys, on="person_id", how="inner")
        .filter(pl.col("key").is_in(in_graph))
    )
    for key, phone, address in people.select("key", "phone", "address").iter_rows():
        node = f"person:{key}"
        if phone:
            digits = "".join(ch for ch in phone if ch.isdigit()).removeprefix("62").lstrip("0")
            if len(digits) >= 8:
                graph.add_edge(node, f"phone:{digits}")
        if address:
            text = " ".join(address.lower().split())
            if len(text) >= 12:
                graph.add_edge(node, f"address:{text}")


def _assess(
    graph: nx.Graph,
    members: set[str],
    babies: dict[str, dict[str, Any]],
    flagged_refs: dict[str, list[str]],
) -> Candidate | None:
    children = [m for m in members if m in babies]
    suspicious = [c for c in children if babies[c]["signals"]]
    if len(suspicious) < MIN_SUSPICIOUS_BABIES:
        return None
    share = len(suspicious) / len(children)
    actors: dict[str, list[str]] = {kind: [] for kind in ENTITY_TYPES}
    for node in members:
        kind, _, ref = node.partition(":")
        if kind in actors:
            actors[kind].append(ref)
    flagged_actors = {
        ref: flagged_refs[ref] for refs in actors.values() for ref in refs if ref in flagged_refs
    }
    if share < MIN_SUSPICIOUS_SHARE and not flagged_actors:
        return None
    # The actors that touch the suspicious babies, by how many of them.
    through: Counter[str] = Counter()
    for child in suspicious:
        for neighbour in graph.neighbors(child):
            kind = neighbour.partition(":")[0]
            if kind in actors or kind == "witness":
                through[neighbour] += 1
    # Central: an actor behind at least 3 suspicious babies (as a ring needs 3). Two is what a busy
    # lawful actor the ring's mothers also passed through collects (a referral hospital and its midwife
    # in a ring of 65 babies): naming it among the ring's central actors points an investigator at it.
    central = [node for node, count in through.most_common() if count >= MIN_CENTRAL_BABIES]
    signals = Counter(s for c in suspicious for s in babies[c]["signals"])
    records = sorted({r for c in suspicious for r in babies[c]["records"]})
    actor_count = sum(len(v) for v in actors.values())
    concentration = len(suspicious) / max(1, len([n for n in central if n.partition(":")[0] in actors]))
    # A ring aggregates its members' single-record flags, so it ranks above them: 0.85..1.
    score = min(
        1.0,
        0.85
        + 0.05 * min(1.0, len(suspicious) / 10)
        + 0.04 * share
        + 0.04 * min(1.0, len(flagged_actors) / 2)
        + 0.02 * min(1.0, concentration / 10),
    )
    ring_id = "ring-" + hashlib.sha256("\n".join(sorted(central or records)).encode()).hexdigest()[:16]
    central_text = ", ".join(node.partition(":")[2] for node in central[:6] if not node.startswith("witness"))
    shared_witnesses = sum(1 for node in central if node.startswith("witness:"))
    evidence = {
        "babies": len(children),
        "suspicious_babies": len(suspicious),
        "suspicious_share": round(share, 3),
        "signals": dict(signals),
        "actors": {kind: sorted(refs) for kind, refs in actors.items() if refs},
        "central_actors": [
            {"node": node.partition(":")[2], "type": node.partition(":")[0], "babies": through[node]}
            for node in central
            if not node.startswith("witness:")
        ],
        "shared_witness_sets": shared_witnesses,
        "flagged_actors": flagged_actors,
        "actor_count": actor_count,
        "babies_per_central_actor": round(concentration, 2),
        "people": sum(1 for m in members if m.startswith("person:")),
        "community_size": len(members),
        "method": "Louvain communities (networkx, seed 7) of the care neighbourhood",
    }
    fast = signals.get("irregular_handover", 0)
    falsified = signals.get("suspicious_registration", 0)
    unlicensed = signals.get("unlicensed_intake", 0)
    away = signals.get("out_of_province_mother", 0)
    en = (
        f"A group of {len(suspicious)} babies with suspicious paths (of {len(children)} in the group) runs "
        f"through few actors ({central_text or 'no shared actor'}): {fast} reached a family fast or without "
        f"a care permit, {falsified} have a late registration without a birth statement for a mother from "
        f"another regency/city, {away} were relinquished by mothers from another province"
        + (f", {unlicensed} were taken in by an institution without a valid licence" if unlicensed else "")
        + f"; {len(flagged_actors)} of its actors stand out statistically from their peers"
        + (f"; {shared_witnesses} witness(es) sign repeatedly" if shared_witnesses else "")
        + "."
    )
    id_ = (
        f"Sekelompok {len(suspicious)} bayi dengan jalur mencurigakan (dari {len(children)} bayi dalam "
        f"kelompok) melewati sedikit pelaku ({central_text or 'tidak ada pelaku bersama'}): {fast} sampai "
        f"ke keluarga lain dengan cepat atau tanpa izin pengasuhan, {falsified} dicatat terlambat tanpa "
        f"surat keterangan lahir untuk ibu dari kabupaten/kota lain, {away} diserahkan oleh ibu dari "
        f"provinsi lain"
        + (f", {unlicensed} diterima lembaga tanpa izin yang berlaku" if unlicensed else "")
        + f"; {len(flagged_actors)} pelakunya menonjol secara statistik dibanding sejawatnya"
        + (f"; {shared_witnesses} saksi berulang kali menandatangani" if shared_witnesses else "")
        + "."
    )
    return Candidate(
        kind="network_ring",
        subject_type="network",
        subject_ref=ring_id,
        score=round(score, 6),
        evidence=evidence,
        explanation_id=id_,
        explanation_en=en,
        records=tuple(records[:MAX_RECORDS]),
        region_code="",
    )
