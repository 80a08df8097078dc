"""The tlog-witness and tlog-cosignature wire formats against the examples printed in the C2SP specs."""

from __future__ import annotations

import base64
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from jaga.ledger import Checkpoint, CosignatureVerifier, Cosigner, FormatError, parse_note
from jaga.ledger.cosignature import cosigned_message
from jaga.ledger.witness_protocol import (
    AddCheckpoint,
    parse_add_checkpoint,
    parse_signature_lines,
    parse_size_body,
    signature_lines,
    size_body,
)

# c2sp.org/tlog-witness, "add-checkpoint", example request body.
SPEC_REQUEST = (
    "old 20852014\n"
    "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n"
    "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n"
    "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n"
    "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n"
    "\n"
    "example.com/behind-the-sofa\n"
    "20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
    "\n"
    "\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
    "\u2014 example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n"
)
# c2sp.org/tlog-witness, example response body.
SPEC_RESPONSE = (
    "\u2014 witness.example/w1 CMp+6LWBU0anHGH5aNDTJkH/gj79sG+T6+iP2ThYN5krrDJbR1HDnucjL39QsZTSvVjyQLrdk3DXDqI5G2HgLatVs0pWh6Up69HVOw==\n"
    "\u2014 witness.example/w1 I7rEps0pvK2UqkS2gSpVUDhrhVtQV9lgF6pRrWAvjJHjyWpW7VcE3SiOlVlbQNt64vWhO+DlkL0+UfzuOBMh9ChdMkP1vi/lCAsmlw==\n"
    "\u2014 witness.example/w2 AWui8Sk55XjYLOijihBjhqEH6nS1ndDymE0a+6idX7pLcnoB+dhnz0854aLZgrrKbYKA7nC3HNJhm/kWl7oJlqU3rXXvpysAdyP3wQ==\n"
)
SPEC_CHECKPOINT_TEXT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
# c2sp.org/tlog-cosignature: the example cosignature line and the signed message it describes.
SPEC_COSIGNATURE_LINE = (
    "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1n"
    "PZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n"
)
SPEC_SIGNED_MESSAGE = (
    "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
    "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
)


def test_the_spec_request_parses_and_formats_back_byte_for_byte() -> None:
    request = parse_add_checkpoint(SPEC_REQUEST.encode())
    assert request.old_size == 20852014
    assert len(request.proof) == 4 and all(len(h) == 32 for h in request.proof)
    assert request.proof[0] == base64.b64decode("PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=")
    note = parse_note(request.checkpoint)
    assert note.text == SPEC_CHECKPOINT_TEXT
    assert len(note.signatures) == 2  # "The submitted checkpoint MAY include multiple signatures."
    assert request.body() == SPEC_REQUEST.encode()


def test_a_request_without_proof_lines() -> None:
    body = AddCheckpoint(0, (), SPEC_CHECKPOINT_TEXT + "\n\u2014 a 0000\n").body()
    assert body.startswith(b"old 0\n\nexample.com/behind-the-sofa\n")
    assert parse_add_checkpoint(body).proof == ()


def test_the_spec_response_parses_against_its_checkpoint() -> None:
    note = parse_signature_lines(SPEC_CHECKPOINT_TEXT, SPEC_RESPONSE)
    assert [s.name for s in note.signatures] == [
        "witness.example/w1",
        "witness.example/w1",
        "witness.example/w2",
    ]
    with pytest.raises(FormatError):
        parse_signature_lines(SPEC_CHECKPOINT_TEXT, "20\n")


def test_the_spec_cosignature_message_and_line() -> None:
    assert cosigned_message(SPEC_CHECKPOINT_TEXT, 1679315147).decode() == SPEC_SIGNED_MESSAGE
    signature = parse_note(SPEC_CHECKPOINT_TEXT + "\n" + SPEC_COSIGNATURE_LINE).signatures[0]
    assert signature.name == "witness.example.com/w1"
    assert len(signature.signature) == 8 + 64  # u64 timestamp || Ed25519 signature
    assert int.from_bytes(signature.signature[:8], "big") == 1679315147


def test_jaga_cosignature_lines_have_the_spec_shape_and_verify() -> None:
    cosigner = Cosigner.generate("witness.example.com/w1")
    now = int(time.time())
    line = signature_lines(cosigner.cosign(SPEC_CHECKPOINT_TEXT, now))
    assert line.startswith("\u2014 witness.example.com/w1 ") and line.endswith("\n")
    blob = base64.b64decode(line.rsplit(" ", 1)[1])
    assert len(blob) == 4 + 8 + 64
    assert int.from_bytes(blob[:4], "big") == cosigner.key_id
    assert int.from_bytes(blob[4:12], "big") == now
    verifier = cosigner.verifier()
    assert isinstance(verifier, CosignatureVerifier)
    assert base64.b64decode(verifier.vkey().split("+", 2)[2])[0] == 0x04  # the cosignature/v1 key type
    assert verifier.verify(SPEC_CHECKPOINT_TEXT, blob[4:])
    # The Ed25519 signature is over exactly the spec's message: check it with the raw public key.
    Ed25519PublicKey.from_public_bytes(verifier.public_key).verify(
        blob[12:], cosigned_message(SPEC_CHECKPOINT_TEXT, now)
    )
    assert not verifier.verify(Checkpoint("example.com/behind-the-sofa", 1, bytes(32)).text(), blob[4:])


@pytest.mark.parametrize(("text", "size"), [("0\n", 0), ("20852163\n", 20852163)])
def test_size_bodies(text: str, size: int) -> None:
    assert parse_size_body(text) == size
    assert size_body(size) == text


@pytest.mark.parametrize("text", ["", "12", "012\n", "-1\n", "12 \n", "twelve\n"])
def test_malformed_size_bodies(text: str) -> None:
    with pytest.raises(FormatError):
        parse_size_body(text)
