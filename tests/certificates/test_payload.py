"""The payload's two forms: the verify link (`BASE/v#JG1U:` + base42) and the `JG1:` text (base45).
Whatever parses round-trips; both forms carry the same proof at the same length; damage is named."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jaga.certificates.base42 import ALPHABET, b42decode, b42encode
from jaga.certificates.payload import (
    MAX_BODY,
    PREFIX,
    URL_MARKER,
    CertificateProof,
    decode,
    encode,
    encode_fragment,
    is_payload,
    payload_text,
    verify_link,
)
from jaga.ledger import FormatError

PROOF = CertificateProof(
    origin="registry.jaga.go.id/ledger",
    size=4_500_000,
    index=1_234_567,
    salt=bytes(range(16)),
    meta=bytes(range(32)),
    proof=tuple(bytes([i]) * 32 for i in range(23)),
    signatures=((0x01020304, bytes(64)), (0xA0B0C0D0, bytes(72))),
    payload=b'{"kind":"birth","ref":"C-9XK3M2QR7T"}',
)


@given(st.binary(max_size=600))
@example(b"")
@example(b"\xff\xff")  # the largest pair: 65535 = 15 + 6 * 42 + 37 * 42^2
@example(b"\x00")
def test_base42_round_trips_in_url_safe_qr_alphanumeric_characters(data: bytes) -> None:
    text = b42encode(data)
    assert b42decode(text) == data
    assert set(text) <= set(ALPHABET) and not set(text) & set(" %+#?&")
    assert len(text) == len(data) // 2 * 3 + len(data) % 2 * 2  # exactly base45's length


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("ab", "not in the base42 alphabet"),
        ("A B", "not in the base42 alphabet"),
        ("0000", r"3k \+ 1"),
        (":::", "larger than two bytes"),
        ("::", "larger than a byte"),
    ],
)
def test_base42_names_the_fault(text: str, fault: str) -> None:
    with pytest.raises(ValueError, match=fault):
        b42decode(text)


def test_the_link_and_the_text_carry_the_same_proof_at_the_same_length() -> None:
    link = verify_link("https://registry.jaga.go.id/", PROOF)
    assert link.startswith("https://registry.jaga.go.id/v#JG1U:")
    text = encode(PROOF)
    assert decode(link) == decode(text) == decode(payload_text(link)) == PROOF
    assert len(payload_text(link)) - len(URL_MARKER) == len(text) - len(PREFIX)
    assert is_payload(link) and is_payload(text) and not is_payload("https://example.com/#x")
    assert " " not in link and "%" not in link


@given(st.binary(max_size=400))
def test_any_bytes_behind_either_marker_raise_a_named_format_error_or_round_trip(body: bytes) -> None:
    import base45

    for text in (
        URL_MARKER + b42encode(zlib.compress(body)),
        PREFIX + base45.b45encode(zlib.compress(body)).decode(),
    ):
        try:
            parsed = decode(text)
        except FormatError as exc:
            assert str(exc)  # a named fault, never another exception
        else:
            if len(parsed.proof) <= 63 and len(parsed.signatures) <= 8:  # what an encoder may write
                assert decode(encode_fragment(parsed)) == decode(encode(parsed)) == parsed


def test_compression_must_be_one_whole_stream_no_larger_than_a_certificate() -> None:
    body = zlib.decompress(b42decode(encode_fragment(PROOF)[len(URL_MARKER) :]))
    whole = zlib.compress(body)
    assert decode(URL_MARKER + b42encode(whole)) == PROOF
    for damaged, fault in (
        (whole + b"junk", "damaged"),
        (whole[:-4], "damaged"),
        (zlib.compress(b"\x01" * (MAX_BODY + 1)), "inflates beyond"),
    ):
        with pytest.raises(FormatError, match=fault):
            decode(URL_MARKER + b42encode(damaged))
    with pytest.raises(FormatError, match="must start with JG1: or be a verify link"):
        decode("https://registry.jaga.go.id/v#HC1:abc")
