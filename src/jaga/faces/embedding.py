"""From a photo file to one face's 128-d descriptor: dlib's HOG detector, its 5-point landmark model and
its ResNet descriptor (the models of the `face-recognition-models` package, found on disk without
importing that package, whose import needs `pkg_resources`).

The 68-point landmark model in the same package is never used: its licence excludes commercial use.
dlib is imported on first use only, so nothing that does not compute a face pays for it.

Photos are checked before any pixel is decoded (size, format, pixel count), re-encoded from the pixels
alone (EXIF with GPS, XMP and every other block dropped) and turned upright by their EXIF orientation
first. The detector sees at most `DETECT_SIDE` pixels a side (faces in larger photos are large enough); when
it finds nothing it looks again with the image upsampled once, so that a toddler's face in a small photo
is still found (upsampling from the start finds more false faces).
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from jaga.errors import NoFaceFound, PhotoTooLarge, PhotoUnreadable, SeveralFaces, Unavailable

MODEL_PACKAGE = "face_recognition_models"
LANDMARKS_FILE = "shape_predictor_5_face_landmarks.dat"
DESCRIPTOR_FILE = "dlib_face_recognition_resnet_model_v1.dat"
# Recorded on every vector: vectors of different versions are never compared. Bump it when the models,
# the detector's settings or the image preparation change.
MODEL_VERSION = "dlib-hog+sp5+resnet_v1/face-recognition-models-0.3.0/prep-1"
MAX_PIXELS = 40_000_000
DETECT_SIDE = 1200
UPSAMPLE = 1
JITTERS = 1
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
Box = tuple[int, int, int, int]  # left, top, right, bottom in the stored image's pixels


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes  # re-encoded, without metadata: what is stored (encrypted)
    media_type: str
    width: int
    height: int
    sha256: str
    pixels: np.ndarray[Any, np.dtype[np.uint8]]  # RGB, upright


@dataclass(frozen=True)
class Face:
    vector: np.ndarray[Any, np.dtype[np.float32]]
    box: Box
    number: int  # 1-based, faces numbered from the left
    found: int  # how many faces the photo shows
    model_version: str


def clean_photo(data: bytes, *, max_bytes: int) -> CleanPhoto:
    """The photo decoded, upright, re-encoded without metadata; PhotoTooLarge or PhotoUnreadable."""
    if len(data) > max_bytes:
        raise PhotoTooLarge(
            f"the photo file is larger than the limit of {max_bytes // 1024} KiB",
            message_id=f"berkas foto lebih besar dari batas {max_bytes // 1024} KiB",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format or ""
                if kind not in FORMATS:
                    raise PhotoUnreadable(
                        "the file is not a JPEG, PNG or WebP image",
                        message_id="berkas ini bukan gambar JPEG, PNG, atau WebP",
                    )
                if image.size[0] * image.size[1] > MAX_PIXELS:
                    raise PhotoTooLarge(
                        f"the photo has more than {MAX_PIXELS:,} pixels",
                        message_id=f"foto memiliki lebih dari {MAX_PIXELS:,} piksel",
                    )
                image.load()
                upright = ImageOps.exif_transpose(image)
                rgb = upright.convert("RGB")  # some modes (16-bit, CMYK variants) may not convert
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise PhotoTooLarge(
            f"the photo has more than {MAX_PIXELS:,} pixels",
            message_id=f"foto memiliki lebih dari {MAX_PIXELS:,} piksel",
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise PhotoUnreadable(
            "the file is not a JPEG, PNG or WebP image that can be decoded",
            message_id="berkas ini bukan gambar JPEG, PNG, atau WebP yang dapat dibaca",
        ) from exc
    bare = Image.frombytes("RGB", rgb.size, rgb.tobytes())  # nothing of the file's metadata survives
    out = io.BytesIO()
    if kind == "PNG":
        bare.save(out, format="PNG")
        media = FORMATS["PNG"]
    else:
        bare.save(out, format="JPEG", quality=92)
        media = FORMATS["JPEG"]
    content = out.getvalue()
    pixels = np.asarray(bare, dtype=np.uint8)
    return CleanPhoto(content, media, bare.width, bare.height, hashlib.sha256(content).hexdigest(), pixels)


def model_folder() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise Unavailable(
            "face matching needs the face-recognition-models package (pip install "
            "'jaga[faces]', or scripts/bootstrap)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class FaceModel:
    """dlib's detector, landmark model and descriptor, loaded once (about 30 MB) and shared by threads
    (dlib's calls hold the GIL per call; a lock keeps the models' scratch state safe)."""

    _shared: FaceModel | None = None
    _shared_lock = threading.Lock()

    def __init__(self) -> None:
        try:
            import dlib
        except ImportError as exc:
            raise Unavailable(
                "face matching needs dlib (the dlib-bin wheel): "
                "pip install 'jaga[faces]', or scripts/bootstrap"
            ) from exc
        folder = model_folder()
        self._detector = dlib.get_frontal_face_detector()
        self._landmarks = dlib.shape_predictor(str(folder / LANDMARKS_FILE))
        self._descriptor = dlib.face_recognition_model_v1(str(folder / DESCRIPTOR_FILE))
        self._rectangle = dlib.rectangle
        self._lock = threading.Lock()

    @classmethod
    def shared(cls) -> FaceModel:
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def boxes(self, pixels: np.ndarray[Any, np.dtype[np.uint8]]) -> list[Box]:
        """Every face the detector finds, numbered from the left (then from the top)."""
        height, width = pixels.shape[:2]
        scale = min(1.0, DETECT_SIDE / max(height, width))
        small = pixels
        if scale < 1.0:
            resized = Image.fromarray(pixels).resize(
                (max(1, round(width * scale)), max(1, round(height * scale))), Image.Resampling.LANCZOS
            )
            small = np.asarray(resized, dtype=np.uint8)
        with self._lock:
            # Upsampling finds small faces and also more false ones: only when nothing was found without.
            found = self._detector(small, 0) or self._detector(small, UPSAMPLE)
        boxes = [
            (
                max(0, round(r.left() / scale)),
                max(0, round(r.top() / scale)),
                min(width, round(r.right() / scale)),
                min(height, round(r.bottom() / scale)),
            )
            for r in found
        ]
        return sorted(boxes, key=lambda b: (b[0], b[1]))

    def descriptor(self, pixels: np.ndarray[Any, np.dtype[np.uint8]], box: Box) -> np.ndarray[Any, Any]:
        with self._lock:
            shape = self._landmarks(pixels, self._rectangle(*box))
            values = self._descriptor.compute_face_descriptor(pixels, shape, JITTERS)
        return np.asarray(values, dtype=np.float32)

    def locate(
        self, pixels: np.ndarray[Any, np.dtype[np.uint8]], *, choose: int | None = None
    ) -> tuple[Box, int, int]:
        """The box of the photo's one face (or of face number `choose`), its number and how many faces
        the photo shows; NoFaceFound or SeveralFaces. Detection only: the descriptor may come later."""
        boxes = self.boxes(pixels)
        if not boxes:
            raise NoFaceFound(
                "no face was found in the photo: use a clear photo where the child's face is visible "
                "and faces the camera",
                message_id="tidak ada wajah yang ditemukan pada foto: gunakan foto yang jelas, wajah anak "
                "terlihat dan menghadap kamera",
            )
        if choose is None and len(boxes) > 1:
            raise SeveralFaces(boxes)
        number = choose or 1
        if not 1 <= number <= len(boxes):
            raise SeveralFaces(boxes, chosen=number)
        return boxes[number - 1], number, len(boxes)

    def face(self, pixels: np.ndarray[Any, np.dtype[np.uint8]], *, choose: int | None = None) -> Face:
        """The one face of the photo (or face number `choose`); NoFaceFound or SeveralFaces."""
        box, number, found = self.locate(pixels, choose=choose)
        return Face(self.descriptor(pixels, box), box, number, found, MODEL_VERSION)
