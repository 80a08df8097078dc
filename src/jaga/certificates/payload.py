"""The certificate's QR payload: everything offline verification needs, small enough to print.

Two forms carry the same body:

    link   BASE_URL "/v#JG1U:" base42(zlib(body))   what the QR code holds: a phone's camera opens it
    text   "JG1:" base45(zlib(body))                 for a terminal or a file (as the EU COVID "HC1:")

The link keeps the payload in the URL *fragment*, which a browser never sends to a server, a proxy or a
log; the portal's page at `/v` verifies it in the browser. Base45's alphabet holds a space and `%`, which a
URL cannot carry as they are, so the fragment uses base42 (`jaga.certificates.base42`): the same QR
alphanumeric characters minus space, `%` and `+`, at the same length. `JG1U:` ("JG1, URL form") marks it,
so that no reader confuses it with `JG1:`. In the QR code the link is two segments: byte mode for the
lowercase address, alphanumeric mode for the payload (`qr_segments`).

    body = u8 version (1)
           u8 len, origin (UTF-8)           the log's name; its verifier key must carry the same name
           uvarint tree size                of the signed checkpoint
           uvarint leaf index               the certificate.issued event is seq = index + 1
           salt (16) | meta hash (32)       the event's salt and header hash (see jaga.ledger.events)
           u8 n, n x 32-byte hashes         the RFC 9162 inclusion proof
           u8 m, m x (u32 key ID, u8 len, signature)   the checkpoint's signatures (log and witnesses)
           payload                          the event's canonical JSON (the certificate row as issued)

The checkpoint's root is not carried: it is recomputed from the payload, salt and proof, and the log's
signature over "origin, size, root" then holds only if all of them are exactly as the log committed.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import base45

from jaga.certificates.base42 import b42decode, b42encode
from jaga.ledger import FormatError, Signature

PREFIX = "JG1:"
URL_MARKER = "JG1U:"
VERIFY_PATH = "/v"
VERSION = 1
# A certificate's body is a few kilobytes; anything that inflates beyond this is not one (a zip bomb).
MAX_BODY = 64 * 1024
SALT_BYTES = 16
HASH_BYTES = 32
# Above this the payload would not fit a printable QR code: a signed note line can hold far more.
MAX_SIGNATURES = 8


@dataclass(frozen=True)
class CertificateProof:
    origin: str
    size: int
    index: int
    salt: bytes
    meta: bytes
    proof: tuple[bytes, ...]
    signatures: tuple[tuple[int, bytes], ...]  # (key ID, signature bytes without the key ID)
    payload: bytes

    @property
    def seq(self) -> int:
        return self.index + 1

    def note_signatures(self, names: dict[int, str]) -> list[Signature]:
        """The signatures as signed-note lines, naming each key by its ID where known."""
        return [Signature(names.get(key_id, "?"), key_id, sig) for key_id, sig in self.signatures]


def _uvarint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, count: int, what: str) -> bytes:
        if self.at + count > len(self.data):
            raise FormatError(f"certificate payload ends inside its {what}")
        chunk = self.data[self.at : self.at + count]
        self.at += count
        return chunk

    def byte(self, what: str) -> int:
        return self.take(1, what)[0]

    def uvarint(self, what: str) -> int:
        value, shift = 0, 0
        while True:
            byte = self.byte(what)
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7
            if shift > 63:
                raise FormatError(f"certificate payload's {what} is too large")

    def rest(self) -> bytes:
        return self.data[self.at :]


def _body(proof: CertificateProof) -> bytes:
    if len(proof.salt) != SALT_BYTES or len(proof.meta) != HASH_BYTES:
        raise FormatError("salt must be 16 bytes and meta 32")
    if len(proof.proof) > 63 or len(proof.signatures) > MAX_SIGNATURES:
        raise FormatError("too many proof hashes or signatures for a certificate")
    origin = proof.origin.encode("utf-8")
    body = bytearray([VERSION, len(origin)])
    body += origin + _uvarint(proof.size) + _uvarint(proof.index) + proof.salt + proof.meta
    body.append(len(proof.proof))
    for node in proof.proof:
        body += node
    body.append(len(proof.signatures))
    for key_id, signature in proof.signatures:
        body += key_id.to_bytes(4, "big") + bytes([len(signature)]) + signature
    body += proof.payload
    return zlib.compress(bytes(body), 9)


def encode(proof: CertificateProof) -> str:
    """The text form, `JG1:` + base45."""
    encoded: bytes = base45.b45encode(_body(proof))
    return PREFIX + encoded.decode("ascii")


def encode_fragment(proof: CertificateProof) -> str:
    """The link's fragment, `JG1U:` + base42 (QR alphanumeric characters that a URL carries as they are)."""
    return URL_MARKER + b42encode(_body(proof))


def verify_link(base_url: str, proof: CertificateProof) -> str:
    """`{base_url}/v#JG1U:...`: the portal's page that verifies the certificate in the browser."""
    return "".join(qr_segments(base_url, proof))


def qr_segments(base_url: str, proof: CertificateProof) -> list[str]:
    """The link as QR segments: the address (byte mode: it is lowercase) and the payload (alphanumeric)."""
    return [f"{base_url.rstrip('/')}{VERIFY_PATH}#", encode_fragment(proof)]


def payload_text(text: str) -> str:
    """The payload in what a QR code or a person gives: a verify link's fragment, or the text itself."""
    text = text.strip()
    if text.lower().startswith(("http://", "https://")) and "#" in text:
        return text.split("#", 1)[1]
    return text


def is_payload(text: str) -> bool:
    """Whether `text` (a QR code's content) is a jaga certificate in either form."""
    return payload_text(text).startswith((PREFIX, URL_MARKER))


def _inflate(raw: bytes) -> bytes:
    # Exactly one complete zlib stream, with nothing after it, and no larger than a certificate can be: the
    # browser's DecompressionStream refuses trailing data and truncation too, so both verifiers agree.
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(raw, MAX_BODY + 1)
    except zlib.error as exc:
        raise FormatError("the certificate payload is damaged (compression)") from exc
    if len(body) > MAX_BODY or inflater.unconsumed_tail:
        raise FormatError(f"the certificate payload inflates beyond {MAX_BODY:,} bytes: it is not one")
    if not inflater.eof or inflater.unused_data:
        raise FormatError("the certificate payload is damaged (compression)")
    return body


def decode(text: str) -> CertificateProof:
    """Parse a payload in either form, or a verify link; FormatError naming what is wrong (never echoing
    the payload itself)."""
    text = payload_text(text)
    if text.startswith(URL_MARKER):
        try:
            raw = b42decode(text[len(URL_MARKER) :])
        except ValueError as exc:
            raise FormatError(f"the certificate payload is damaged ({exc})") from exc
    elif text.startswith(PREFIX):
        try:
            raw = base45.b45decode(text[len(PREFIX) :])
        except ValueError as exc:
            raise FormatError("the certificate payload is damaged (base45)") from exc
    else:
        raise FormatError(
            f"not a jaga certificate payload (it must start with {PREFIX} or be a verify link with "
            f"#{URL_MARKER})"
        )
    body = _inflate(raw)
    reader = _Reader(body)
    version = reader.byte("version")
    if version != VERSION:
        raise FormatError(f"certificate payload version {version} is not supported (this jaga reads 1)")
    origin = reader.take(reader.byte("origin length"), "origin").decode("utf-8", errors="replace")
    size = reader.uvarint("tree size")
    index = reader.uvarint("leaf index")
    if index >= size:
        raise FormatError(f"leaf index {index} is outside the tree of size {size}")
    salt, meta = reader.take(SALT_BYTES, "salt"), reader.take(HASH_BYTES, "meta hash")
    nodes = tuple(reader.take(HASH_BYTES, "inclusion proof") for _ in range(reader.byte("proof length")))
    signatures = []
    for _ in range(reader.byte("signature count")):
        key_id = int.from_bytes(reader.take(4, "key ID"), "big")
        signatures.append((key_id, reader.take(reader.byte("signature length"), "signature")))
    payload = reader.rest()
    if not payload:
        raise FormatError("the certificate payload carries no record")
    return CertificateProof(origin, size, index, salt, meta, nodes, tuple(signatures), payload)
