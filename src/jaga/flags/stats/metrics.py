"""The rates compared between peers: which records count as cases and which as events, per entity type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from jaga.flags.frames import Frames
from jaga.flags.stats.outcomes import Outcomes
from jaga.flags.stats.peers import PeerLevel

REGENCY = PeerLevel("regency", "g_regency")
PROVINCE = PeerLevel("province", "g_province")
NATIONAL = PeerLevel("national", "g_national")


@dataclass(frozen=True)
class Metric:
    """One rate per entity. `cases` builds (entity_id, region, kind, event, record_ref) rows."""

    kind: str  # the candidate kind, stable
    subject_type: str
    entity_table: str  # the frame naming the entities
    cases: Callable[[Frames, Outcomes], pl.DataFrame]
    what_en: str  # "births", "registrations", "intakes"
    what_id: str
    event_en: str  # "were followed by a relinquishment"
    event_id: str
    levels: tuple[PeerLevel, ...] = (REGENCY, PROVINCE, NATIONAL)


def _births_at(column: str, event: str) -> Callable[[Frames, Outcomes], pl.DataFrame]:
    table = {"facility_id": "facilities", "attendant_id": "attendants", "registrar_id": "officials"}[column]
    kind = {"facilities": "kind", "attendants": "kind", "officials": "role"}[table]

    def cases(frames: Frames, outcomes: Outcomes) -> pl.DataFrame:
        entities = getattr(frames, table).select(
            pl.col("id").alias("entity_id"), pl.col("region_code").alias("region"), pl.col(kind).alias("kind")
        )
        return (
            outcomes.births.filter(pl.col(column).is_not_null())
            .select(
                pl.col(column).alias("entity_id"),
                pl.col(event).alias("event"),
                pl.col("ref").alias("record_ref"),
                pl.col("relinquishment_ref").alias("linked_ref"),
            )
            .join(entities, on="entity_id", how="inner")
        )

    return cases


def _intakes(frames: Frames, outcomes: Outcomes) -> pl.DataFrame:
    entities = frames.institutions.select(
        pl.col("id").alias("entity_id"), pl.col("region_code").alias("region"), pl.col("kind")
    )
    return (
        outcomes.intakes.filter(pl.col("institution_id").is_not_null())
        .select(
            pl.col("institution_id").alias("entity_id"),
            pl.col("irregular_handover").alias("event"),
            pl.col("ref").alias("record_ref"),
            pl.col("family_placement_ref").alias("linked_ref"),
        )
        .join(entities, on="entity_id", how="inner")
    )


METRICS: tuple[Metric, ...] = (
    Metric(
        "facility_relinquishment_rate",
        "facility",
        "facilities",
        _births_at("facility_id", "relinquished"),
        "births",
        "kelahiran",
        "were followed by a relinquishment of the child",
        "diikuti penyerahan anak",
    ),
    Metric(
        "facility_out_of_province_mothers",
        "facility",
        "facilities",
        _births_at("facility_id", "mother_from_distant_province"),
        "births",
        "kelahiran",
        "were to mothers living in a province that does not border the facility's",
        "berasal dari ibu yang tinggal di provinsi lain yang tidak berbatasan dengan provinsi fasilitas",
    ),
    Metric(
        "attendant_relinquishment_rate",
        "attendant",
        "attendants",
        _births_at("attendant_id", "relinquished"),
        "births attended",
        "persalinan yang ditolong",
        "were followed by a relinquishment of the child",
        "diikuti penyerahan anak",
    ),
    Metric(
        "attendant_fast_handover",
        "attendant",
        "attendants",
        _births_at("attendant_id", "irregular_handover"),
        "births attended",
        "persalinan yang ditolong",
        "ended with the baby placed with a family fast or without a care permit",
        "berakhir dengan bayi diserahkan ke keluarga lain dengan cepat atau tanpa izin pengasuhan",
    ),
    Metric(
        "registrar_suspicious_registrations",
        "official",
        "officials",
        _births_at("registrar_id", "suspicious_registration"),
        "registrations",
        "pencatatan kelahiran",
        "were late, without a facility's birth statement (SKL), for a mother living in another regency",
        "terlambat, tanpa surat keterangan lahir (SKL) fasilitas, untuk ibu yang tinggal di "
        "kabupaten/kota lain",
    ),
    Metric(
        "institution_irregular_handover",
        "institution",
        "institutions",
        _intakes,
        "intakes",
        "penerimaan anak",
        f"reached a family within {90} days or without a care permit",
        f"diserahkan ke keluarga dalam {90} hari atau tanpa izin pengasuhan",
        (PROVINCE, NATIONAL),
    ),
)


def entity_table(metric: Metric, frames: Frames, outcomes: Outcomes) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(per entity: entity_id, n, x and the peer-group columns; the event records per entity)."""
    cases = metric.cases(frames, outcomes)
    grouped = cases.group_by("entity_id", "region", "kind").agg(
        pl.len().cast(pl.Int64).alias("n"), pl.col("event").sum().cast(pl.Int64).alias("x")
    )
    grouped = grouped.with_columns(
        pl.format("{}|{}", pl.col("kind"), pl.col("region").str.slice(0, 4)).alias("g_regency"),
        pl.format("{}|{}", pl.col("kind"), pl.col("region").str.slice(0, 2)).alias("g_province"),
        pl.col("kind").alias("g_national"),
    )
    events = (
        cases.filter(pl.col("event"))
        .group_by("entity_id")
        .agg(pl.concat([pl.col("record_ref"), pl.col("linked_ref")]).drop_nulls().unique().sort())
        .rename({"record_ref": "records"})
    )
    return grouped, events
