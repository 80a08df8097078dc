"""Screenshots sent with a tip: PNG, JPEG or WebP (by their content, never their name), at most
`MAX_BYTES`, re-encoded with Pillow from the pixels alone so that EXIF (with GPS), XMP, ICC profiles,
comments and every other block a phone or an editor writes are gone. Decompression bombs are refused
before their pixels are read."""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from jaga.errors import InvalidInput, TooLarge

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a phone screenshot is 2-4 million; a photo up to 50 million is refused too
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    media_type: str
    width: int
    height: int
    sha256: str


def _not_an_image() -> InvalidInput:
    return InvalidInput(
        "the screenshot is not a PNG, JPEG or WebP image",
        message_id="tangkapan layar bukan gambar PNG, JPEG, atau WebP",
    )


def too_large() -> TooLarge:
    return TooLarge(
        f"the screenshot is larger than {MAX_BYTES // (1024 * 1024)} MB",
        message_id=f"tangkapan layar lebih besar dari {MAX_BYTES // (1024 * 1024)} MB",
    )


def clean_screenshot(data: bytes) -> CleanImage:
    """The image re-encoded without any metadata; InvalidInput or TooLarge saying what is wrong."""
    if len(data) > MAX_BYTES:
        raise too_large()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format or ""
                if kind not in FORMATS:
                    raise _not_an_image()
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise TooLarge(
                        f"the screenshot has more than {MAX_PIXELS:,} pixels",
                        message_id=f"tangkapan layar memiliki lebih dari {MAX_PIXELS:,} piksel",
                    )
                image.load()
                upright = ImageOps.exif_transpose(image)  # keep it the way up it was seen, then drop EXIF
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise too_large() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _not_an_image() from exc
    mode = "RGBA" if upright.mode in ("RGBA", "LA", "PA", "P") and kind != "JPEG" else "RGB"
    pixels = upright.convert(mode)
    # A new image from the pixel bytes alone: nothing of the file's `info` (EXIF, XMP, ICC, text) survives.
    bare = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if kind == "JPEG":
        bare.save(out, format="JPEG", quality=85, optimize=True)
    elif kind == "WEBP":
        bare.save(out, format="WEBP", quality=85)
    else:
        bare.save(out, format="PNG")
    content = out.getvalue()
    return CleanImage(content, FORMATS[kind], bare.width, bare.height, hashlib.sha256(content).hexdigest())
