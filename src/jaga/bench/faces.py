"""`jaga bench faces`: face matching's speed, memory and retrieval, each beside a reference measured in
the same run.

* Photos per second: jaga's pipeline (detection on at most 1200 px a side, upsampling only when nothing
  was found, 5-point landmarks, ResNet descriptor) in one process and in two (the machine's two cores),
  against the `face_recognition` package's documented defaults rebuilt from the same dlib calls
  (`face_locations` = HOG upsampled once on the full image, `face_encodings(model="small",
  num_jitters=1)`), in one process. The package itself is never installed.
* Search latency and memory at 10k, 100k and 1M stored vectors (synthetic: latency does not depend on
  the values): jaga's exact search (norms kept, one matrix-vector product, partial sort) against
  `face_recognition.face_distance`'s way (`np.linalg.norm(stored - query, axis=1)`, then a full sort).
* Retrieval on a folder of labelled photos (`FOLDER/<person>/<photo>`): for every photo whose person has
  another photo, the rank of that person among the rest (rank-1, rank-10). Then the same with each photo
  replaced by deterministic augmentations (crop, rotation, brightness, JPEG quality, downscaling, blur,
  occlusion) as probes: a check of the plumbing and the ranking, not of accuracy (an augmented photo is
  far closer to its original than a real second photo is).

Adults' photos say nothing of how the model does on young children; docs/faces.md says what was measured.
"""

from __future__ import annotations

import io
import resource
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter
from rich.table import Table

from jaga.cli_support import console
from jaga.faces.embedding import DESCRIPTOR_FILE, LANDMARKS_FILE, FaceModel, clean_photo, model_folder
from jaga.faces.search import distances, top_k

SIZES = (10_000, 100_000, 1_000_000)
SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}
MAX_BYTES = 100 * 1024 * 1024
Vector = np.ndarray[Any, np.dtype[np.float32]]


@dataclass(frozen=True)
class Labelled:
    person: str
    path: Path


def labelled_photos(folder: Path) -> list[Labelled]:
    """`folder/<person>/<photo>`: every photo with its person's folder name, sorted."""
    found = [
        Labelled(person.name, photo)
        for person in sorted(p for p in folder.iterdir() if p.is_dir())
        for photo in sorted(person.iterdir())
        if photo.suffix.lower() in SUFFIXES
    ]
    if not found:
        raise SystemExit(f"no photos under {folder}: expected {folder}/<person>/<photo>.jpg")
    return found


# --- photos per second ----------------------------------------------------------------------------------


def _jaga_vector(data: bytes) -> Vector | None:
    clean = clean_photo(data, max_bytes=MAX_BYTES)
    model = FaceModel.shared()
    boxes = model.boxes(clean.pixels)
    return model.descriptor(clean.pixels, boxes[0]) if boxes else None


class ReferencePipeline:
    """face_recognition 1.3.0's defaults, from the same dlib calls: the whole image, HOG upsampled once,
    the 5-point ("small") landmarks, one jitter."""

    def __init__(self) -> None:
        import dlib

        folder = model_folder()
        self.detector = dlib.get_frontal_face_detector()
        self.landmarks = dlib.shape_predictor(str(folder / LANDMARKS_FILE))
        self.descriptor = dlib.face_recognition_model_v1(str(folder / DESCRIPTOR_FILE))

    def vector(self, data: bytes) -> Vector | None:
        pixels = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
        found = self.detector(pixels, 1)
        if not found:
            return None
        shape = self.landmarks(pixels, found[0])
        return np.asarray(self.descriptor.compute_face_descriptor(pixels, shape, 1), dtype=np.float32)


def _rate(work: Callable[[bytes], object], photos: list[bytes]) -> float:
    started = time.perf_counter()
    for data in photos:
        work(data)
    return len(photos) / (time.perf_counter() - started)


def photos_per_second(photos: list[bytes]) -> dict[str, float]:
    _jaga_vector(photos[0])  # load the models before timing
    reference = ReferencePipeline()
    rates = {
        "jaga, 1 process": _rate(_jaga_vector, photos),
        "reference, 1 process": _rate(reference.vector, photos),
    }
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_jaga_vector, photos[:2]))  # each worker loads the models
        started = time.perf_counter()
        list(pool.map(_jaga_vector, photos))
        rates["jaga, 2 processes"] = len(photos) / (time.perf_counter() - started)
    return rates


# --- search ---------------------------------------------------------------------------------------------


def _median_ms(work: Callable[[Vector], object], queries: Vector) -> float:
    times = []
    for query in queries:
        started = time.perf_counter()
        work(query)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def search_latency(size: int, queries: int = 20, seed: int = 7) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    stored = rng.normal(scale=0.09, size=(size, 128)).astype(np.float32)  # dlib vectors' typical scale
    asked = rng.normal(scale=0.09, size=(queries, 128)).astype(np.float32)
    norms = np.einsum("ij,ij->i", stored, stored)
    everyone = np.ones(size, dtype=bool)

    def jaga(query: Vector) -> list[int]:
        return top_k(distances(query, stored, norms), everyone, 10)

    def reference(query: Vector) -> list[int]:
        return [int(i) for i in np.argsort(np.linalg.norm(stored - query, axis=1))[:10]]

    for query in asked[:3]:  # the same answers, or the timing means nothing
        assert jaga(query) == reference(query)
    return {
        "jaga_ms": _median_ms(jaga, asked),
        "reference_ms": _median_ms(reference, asked),
        "vectors_mib": stored.nbytes / 2**20,
    }


# --- retrieval ------------------------------------------------------------------------------------------


def augmentations(image: Image.Image) -> dict[str, Image.Image]:
    """Deterministic variants of one photo."""
    width, height = image.size
    occluded = image.copy()
    ImageDraw.Draw(occluded).rectangle(
        (0, int(height * 0.62), width, int(height * 0.75)), fill=(128, 128, 128)
    )
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=25)
    return {
        "crop": image.crop((width // 12, height // 12, width - width // 12, height - height // 12)),
        "rotate": image.rotate(8, resample=Image.Resampling.BICUBIC, fillcolor=(0, 0, 0)),
        "brightness": ImageEnhance.Brightness(image).enhance(0.6),
        "jpeg_q25": Image.open(io.BytesIO(out.getvalue())).convert("RGB"),
        "downscale": image.resize((max(1, width // 3), max(1, height // 3))),
        "blur": image.filter(ImageFilter.GaussianBlur(2)),
        "occlusion": occluded,
    }


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def ranks(
    probes: list[tuple[str, Vector]], gallery: list[tuple[str, Vector]], *, skip_self: bool
) -> list[int]:
    """For each probe, the rank of its person among the gallery's people (by their nearest photo)."""
    names = [name for name, _ in gallery]
    stored = np.stack([v for _, v in gallery]) if gallery else np.zeros((0, 128), dtype=np.float32)
    found: list[int] = []
    for index, (person, vector) in enumerate(probes):
        mask = np.ones(len(gallery), dtype=bool)
        if skip_self:
            mask[index] = False
        if not any(names[i] == person for i in np.flatnonzero(mask)):
            continue
        order = top_k(distances(vector, stored), mask, len(gallery))
        people: list[str] = []
        for i in order:
            if names[i] not in people:
                people.append(names[i])
        found.append(people.index(person) + 1)
    return found


def retrieval(photos: list[Labelled]) -> dict[str, Any]:
    vectors: list[tuple[str, Vector]] = []
    originals: list[tuple[str, Image.Image]] = []
    missed = 0
    for item in photos:
        data = item.path.read_bytes()
        vector = _jaga_vector(data)
        if vector is None:
            missed += 1
            continue
        vectors.append((item.person, vector))
        originals.append((item.person, Image.open(io.BytesIO(data)).convert("RGB")))
    real = ranks(vectors, vectors, skip_self=True)
    same: list[float] = []
    different: list[float] = []
    for i, (a, va) in enumerate(vectors):
        for b, vb in vectors[i + 1 :]:
            (same if a == b else different).append(float(np.linalg.norm(va - vb)))
    augmented: list[tuple[str, Vector]] = []
    augmented_distances: list[float] = []
    for (person, image), (_, original) in zip(originals, vectors, strict=True):
        for variant in augmentations(image).values():
            vector = _jaga_vector(_encode(variant))
            if vector is not None:
                augmented.append((person, vector))
                augmented_distances.append(float(np.linalg.norm(vector - original)))
    plumbing = ranks(augmented, vectors, skip_self=False)
    return {
        "photos": len(photos),
        "people": len({p.person for p in photos}),
        "no_face": missed,
        "real_probes": len(real),
        "real_rank1": sum(r == 1 for r in real),
        "real_rank10": sum(r <= 10 for r in real),
        "same_person_distances": same,
        "different_people_distances": different,
        "augmented_probes": len(plumbing),
        "augmented_rank1": sum(r == 1 for r in plumbing),
        "augmented_rank10": sum(r <= 10 for r in plumbing),
        "augmented_distances": augmented_distances,
    }


def _summary(values: list[float]) -> str:
    if not values:
        return "-"
    middle = statistics.median(values)
    return f"median {middle:.3f} (min {min(values):.3f}, max {max(values):.3f}, n={len(values)})"


def run(*, photos: Path | None, sizes: list[int], queries: int, repeats: int) -> None:
    console.print(
        "Face recognition of young children is weak; these figures are on adults' photos and synthetic "
        "vectors: speed and plumbing, not accuracy on children.",
        style="bold",
    )
    labelled = labelled_photos(photos) if photos is not None else []
    if labelled:
        data = [item.path.read_bytes() for item in labelled] * repeats
        rates = photos_per_second(data)
        table = Table("pipeline", "photos/s", "vs reference")
        for label, rate in rates.items():
            table.add_row(label, f"{rate:.2f}", f"{rate / rates['reference, 1 process']:.2f}x")
        console.print(f"photos per second ({len(data)} photos: {len(labelled)} x {repeats})")
        console.print(table)
    table = Table("stored vectors", "jaga (ms)", "reference (ms)", "reference / jaga", "vectors (MiB)")
    for size in sizes:
        found = search_latency(size, queries=queries)
        table.add_row(
            f"{size:,}",
            f"{found['jaga_ms']:.2f}",
            f"{found['reference_ms']:.2f}",
            f"{found['reference_ms'] / found['jaga_ms']:.1f}x",
            f"{found['vectors_mib']:.0f}",
        )
    console.print(f"search latency: median of {queries} queries, top 10, exact")
    console.print(table)
    console.print(
        f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    if labelled:
        result = retrieval(labelled)
        console.print(
            f"retrieval on {result['photos']} labelled photos of {result['people']} people "
            f"({result['no_face']} without a face found):"
        )
        console.print(
            f"  real second photos: rank-1 {result['real_rank1']}/{result['real_probes']}, "
            f"rank-10 {result['real_rank10']}/{result['real_probes']}"
        )
        console.print(f"  same person, different photo: {_summary(result['same_person_distances'])}")
        console.print(f"  different people: {_summary(result['different_people_distances'])}")
        console.print(
            f"  augmented probes (plumbing check, not accuracy): rank-1 {result['augmented_rank1']}/"
            f"{result['augmented_probes']}, rank-10 {result['augmented_rank10']}/"
            f"{result['augmented_probes']}; "
            f"distance to the original {_summary(result['augmented_distances'])}"
        )
