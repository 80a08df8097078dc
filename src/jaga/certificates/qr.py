"""Reading a certificate's QR payload back from a PDF, a photo or scan, or a text file."""

from __future__ import annotations

from pathlib import Path

import zxingcpp
from PIL import Image, ImageOps

from jaga.certificates.payload import PREFIX
from jaga.errors import InvalidInput

PDF_DPI = 300


def _decode_image(image: Image.Image) -> str | None:
    # Photos come rotated, small or low-contrast; zxing-cpp handles rotation and perspective itself.
    for candidate in (image, ImageOps.grayscale(image), ImageOps.autocontrast(ImageOps.grayscale(image))):
        for barcode in zxingcpp.read_barcodes(
            candidate, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        ):
            if barcode.text.startswith(PREFIX):
                return str(barcode.text)
    return None


def _pdf_pages(path: Path) -> list[Image.Image]:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError as exc:
        raise InvalidInput(f"{path.name} is not a readable PDF") from exc
    try:
        return [document[i].render(scale=PDF_DPI / 72).to_pil() for i in range(len(document))]
    finally:
        document.close()


def payload_from_file(path: Path) -> str:
    """The `JG1:` payload in a PDF, an image, or a text file; InvalidInput if there is none."""
    if not path.is_file():
        raise InvalidInput(f"{path} is a folder, not a file" if path.is_dir() else f"{path} does not exist")
    head = path.read_bytes()[:8]
    if head.startswith(b"%PDF"):
        images = _pdf_pages(path)
    elif head.startswith(PREFIX.encode()):
        return path.read_text(encoding="ascii").strip()
    else:
        try:
            with Image.open(path) as opened:
                opened.load()
                images = [ImageOps.exif_transpose(opened)]
        except OSError as exc:
            raise InvalidInput(f"{path.name} is neither a PDF, an image nor a {PREFIX} payload") from exc
    for image in images:
        found = _decode_image(image)
        if found is not None:
            return found
    raise InvalidInput(f"no jaga certificate QR code found in {path.name}")
