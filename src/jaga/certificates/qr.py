"""Reading a certificate's QR payload back from a PDF, a photo or scan, or a text file: from a path (the
command line) or from bytes in memory (the portal's upload, which never writes to disk).

Either form is found: the verify link (`https://…/v#JG1U:…`) that certificates carry, or `JG1:` text.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import zxingcpp
from PIL import Image, ImageOps

from jaga.certificates.payload import PREFIX, URL_MARKER, is_payload
from jaga.errors import InvalidInput

PDF_DPI = 300
MAX_PDF_PAGES = 4  # a certificate is one page; a scan of it a few at most
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; beyond, decoding would only cost memory
MAX_PAGE_SIDE = 5000  # pixels: an A4 page at 300 dpi is 3508; huge page boxes are rendered smaller
UPLOAD = "the file"  # what an upload is called: its own name may be personal data and is never echoed


def _called(name: str) -> str:
    """`name` in Bahasa Indonesia, for the messages' Indonesian versions."""
    return "berkas" if name == UPLOAD else name


def _decode_image(image: Image.Image) -> str | None:
    # Photos come rotated, small or low-contrast; zxing-cpp handles rotation and perspective itself.
    for candidate in (image, ImageOps.grayscale(image), ImageOps.autocontrast(ImageOps.grayscale(image))):
        for barcode in zxingcpp.read_barcodes(
            candidate, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        ):
            if is_payload(barcode.text):
                return str(barcode.text)
    return None


def _pdf_pages(data: bytes | Path, name: str) -> list[Image.Image]:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data if isinstance(data, bytes) else str(data))
    except pypdfium2.PdfiumError as exc:
        raise InvalidInput(
            f"{name} is not a readable PDF", message_id=f"{_called(name)} bukan PDF yang dapat dibaca"
        ) from exc
    try:
        images = []
        for number in range(min(len(document), MAX_PDF_PAGES)):
            page = document[number]
            width, height = page.get_size()  # points
            scale = min(PDF_DPI / 72, MAX_PAGE_SIDE / max(width, height, 1))
            images.append(page.render(scale=scale).to_pil())
        return images
    finally:
        document.close()


def _photo(opened: Image.Image, name: str) -> Image.Image:
    width, height = opened.size
    if width * height > MAX_PIXELS:
        raise InvalidInput(
            f"{name} has {width * height:,} pixels, more than {MAX_PIXELS:,}: send a smaller photo",
            message_id=f"{_called(name)} berisi {width * height:,} piksel, lebih dari {MAX_PIXELS:,}: "
            "kirim foto yang lebih kecil",
        )
    opened.load()
    return ImageOps.exif_transpose(opened)


def _open_image(source: bytes | Path, name: str) -> Image.Image:
    import io

    try:
        with warnings.catch_warnings():
            # Pillow warns above its own pixel limit before we can check ours; ours is stricter.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as opened:
                return _photo(opened, name)
    except (OSError, Image.DecompressionBombError, ValueError) as exc:
        raise InvalidInput(
            f"{name} is neither a PDF, an image nor a jaga certificate payload",
            message_id=f"{_called(name)} bukan PDF, bukan gambar, dan bukan muatan sertifikat jaga",
        ) from exc


def _text_payload(head: bytes) -> bool:
    stripped = head.lstrip()
    return stripped.startswith((PREFIX.encode(), URL_MARKER.encode(), b"http://", b"https://"))


def _find(images: list[Image.Image], name: str) -> str:
    for image in images:
        found = _decode_image(image)
        if found is not None:
            return found
    raise InvalidInput(
        f"no jaga certificate QR code found in {name}",
        message_id=f"tidak ada kode QR sertifikat jaga dalam {_called(name)}",
    )


def payload_from_bytes(data: bytes, name: str = UPLOAD) -> str:
    """The payload (either form) in a PDF, an image or a text held in memory; InvalidInput if none."""
    if data.startswith(b"%PDF"):
        return _find(_pdf_pages(data, name), name)
    if _text_payload(data[:16]):
        text = data.decode("utf-8", errors="replace").strip()
        if is_payload(text):
            return text
    return _find([_open_image(data, name)], name)


def payload_from_file(path: Path) -> str:
    """The payload (either form) in a PDF, an image, or a text file; InvalidInput if there is none."""
    if not path.is_file():
        raise InvalidInput(f"{path} is a folder, not a file" if path.is_dir() else f"{path} does not exist")
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(b"%PDF"):
        return _find(_pdf_pages(path, path.name), path.name)
    if _text_payload(head):
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        if is_payload(text):
            return text
    return _find([_open_image(path, path.name)], path.name)
