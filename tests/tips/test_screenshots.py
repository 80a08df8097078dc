"""Screenshots: accepted by content (PNG, JPEG, WebP), re-encoded so that no EXIF, GPS or XMP survives,
refused clearly when they are something else, too large or a decompression bomb."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from jaga.errors import InvalidInput, TooLarge
from jaga.tips.screenshots import MAX_BYTES, clean_screenshot

GPS_IFD = 0x8825


def _photo(kind: str = "JPEG", size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0112] = 6  # Orientation: rotated
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (6.0, 58.0, 0.0), 3: "E", 4: (110.0, 25.0, 0.0)})
    out = io.BytesIO()
    image.save(
        out, format=kind, exif=exif, **({"xmp": b"<x:xmpmeta>secret</x:xmpmeta>"} if kind != "PNG" else {})
    )
    return out.getvalue()


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_metadata_is_gone_after_re_encoding(kind: str) -> None:
    original = _photo(kind)
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif()  # the test image really carries EXIF (with GPS)
    clean = clean_screenshot(original)
    with Image.open(io.BytesIO(clean.content)) as after:
        assert after.format == kind
        assert not after.getexif()
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"} & set(after.info)
        assert after.size == (48, 64)  # turned upright as the phone showed it, then the EXIF dropped
    assert b"PhoneMaker" not in clean.content and b"secret" not in clean.content
    assert clean.media_type == f"image/{kind.lower()}"


def test_the_type_is_judged_by_content_not_name() -> None:
    with pytest.raises(InvalidInput, match="not a PNG, JPEG or WebP"):
        clean_screenshot(b"%PDF-1.7 pretending to be a PNG")
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, format="GIF")
    with pytest.raises(InvalidInput, match="not a PNG, JPEG or WebP"):
        clean_screenshot(gif.getvalue())
    with pytest.raises(InvalidInput, match="not a PNG, JPEG or WebP"):
        clean_screenshot(_photo("PNG")[:60])  # truncated


def test_too_many_bytes_or_pixels_are_refused_as_too_large() -> None:
    with pytest.raises(TooLarge):
        clean_screenshot(b"\x89PNG" + bytes(MAX_BYTES))
    bomb = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, format="PNG")  # 144 million pixels in a few kilobytes
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(TooLarge):
        clean_screenshot(bomb.getvalue())
