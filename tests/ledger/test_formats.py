"""Signed notes, keys, checkpoints, cosignatures, tiles, bundles and event entries: their exact formats."""

from __future__ import annotations

import base64

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jaga.ledger import (
    Checkpoint,
    Cosigner,
    Ed25519Signer,
    EventEntry,
    FormatError,
    MemoryTree,
    SignatureInvalid,
    Tile,
    TileReader,
    consistency_proof,
    decode_bundle,
    decode_entry,
    encode_bundle,
    inclusion_proof,
    open_checkpoint,
    open_note,
    parse_checkpoint_text,
    parse_note,
    parse_skey,
    parse_tile_path,
    parse_vkey,
    tiles_for_size,
)
from jaga.ledger.tiles import encode_index

# A signer key published in transparency-dev/tessera's tests: the key ID must come out the same.
GO_TEST_SKEY = "PRIVATE+KEY+example.com/log/testdata+33d7b496+AeymY/SZAX0jZcJ8enZ5FY1Dz+wTML2yWSkK+9DSF3eg"


def test_go_signer_keys_parse_with_the_same_key_id() -> None:
    signer = parse_skey(GO_TEST_SKEY)
    assert (signer.name, f"{signer.key_id:08x}") == ("example.com/log/testdata", "33d7b496")
    assert signer.skey() == GO_TEST_SKEY
    verifier = parse_vkey(signer.verifier().vkey())
    assert verifier.key_id == signer.key_id


def test_a_key_whose_id_does_not_match_is_refused() -> None:
    with pytest.raises(FormatError, match="does not match"):
        parse_skey(GO_TEST_SKEY.replace("33d7b496", "33d7b497"))
    with pytest.raises(FormatError):
        parse_vkey("name+zz+AAAA")


def test_a_checkpoint_signs_and_opens() -> None:
    signer = Ed25519Signer.generate("jaga.test/ledger")
    checkpoint = Checkpoint("jaga.test/ledger", 20852163, bytes(range(32)))
    text = checkpoint.sign(signer).format()
    assert text.startswith(
        "jaga.test/ledger\n20852163\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n\u2014 jaga.test/ledger "
    )
    opened, _ = open_checkpoint(text, [signer.verifier()], origin="jaga.test/ledger")
    assert opened == checkpoint
    with pytest.raises(FormatError, match="origin"):
        open_checkpoint(text, [signer.verifier()], origin="other.log")


def test_unknown_signatures_are_ignored_and_a_bad_known_one_rejects() -> None:
    log = Ed25519Signer.generate("log.example")
    stranger = Ed25519Signer.generate("stranger.example")
    note = Checkpoint("log.example", 1, bytes(32)).sign(log, stranger)
    open_note(note.format(), [log.verifier()])  # the stranger's signature is ignored
    with pytest.raises(SignatureInvalid, match="no signature by a trusted key"):
        open_note(note.format(), [stranger.verifier().__class__("log.example", stranger.public_key)])
    forged = note.format().replace("log.example\n1\n", "log.example\n2\n")
    with pytest.raises(SignatureInvalid, match="does not verify"):
        open_note(forged, [log.verifier()])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("origin\n1\nAAAA\n\n\u2014 k AAAAAAA=\n", "root hash has 3 bytes"),
        ("origin\n01\n" + base64.b64encode(bytes(32)).decode() + "\n", "newline"),
        ("origin\n-1\n" + base64.b64encode(bytes(32)).decode() + "\n", "decimal"),
        ("\n1\n" + base64.b64encode(bytes(32)).decode() + "\n", "origin is empty"),
        ("origin\n1\n", "needs at least 3"),
    ],
)
def test_malformed_checkpoints_are_named(text: str, message: str) -> None:
    body = text.split("\n\n")[0] + "\n" if "\n\n" in text else text
    with pytest.raises(FormatError, match=message):
        parse_checkpoint_text(body if message != "newline" else text.rstrip("\n") + "x")


@pytest.mark.parametrize(
    "message",
    [
        "no blank line",
        "text\n\nnot a signature\n",
        "text\n\n\u2014 name !!!\n",
        "text\n\u0001\n\n\u2014 k AAAAAAA=\n",
    ],
)
def test_malformed_notes_are_refused(message: str) -> None:
    with pytest.raises(FormatError):
        parse_note(message)


def test_a_witness_cosignature_verifies_and_carries_its_time() -> None:
    log = Ed25519Signer.generate("log.example")
    witness = Cosigner.generate("witness.example/w1")
    checkpoint = Checkpoint("log.example", 42, bytes(32))
    note = checkpoint.sign(log)
    cosigned = note.with_signature(witness.cosign(note.text, 1_679_315_147))
    _, good = open_note(cosigned.format(), [log.verifier(), witness.verifier()])
    assert {v.name for v in good} == {"log.example", "witness.example/w1"}
    assert witness.verifier().timestamp(cosigned.signatures[-1].signature) == 1_679_315_147
    assert parse_vkey(witness.verifier().vkey()).key_id == witness.key_id
    # A cosignature is over "cosignature/v1\ntime T\n" + the note: it is not a plain note signature.
    assert not witness.verifier().verify("other\n", cosigned.signatures[-1].signature)


@given(st.integers(min_value=0, max_value=10**12))
@example(1234067)
def test_tile_paths_round_trip(index: int) -> None:
    for tile in (Tile(0, index, 256), Tile(3, index, 17), Tile(-1, index, 1)):
        assert parse_tile_path(tile.path()) == tile
    assert encode_index(1234067) == "x001/x234/067"


@pytest.mark.parametrize(
    "path",
    [
        "tile/0/1",
        "tile/0/x001",
        "tile/0/001.p/0",
        "tile/0/001.p/256",
        "tile/64/000",
        "tile/00/001",
        "tile/x/001",
        "tile/0/x000/001",
    ],
)
def test_bad_tile_paths_are_refused(path: str) -> None:
    with pytest.raises(FormatError):
        parse_tile_path(path)


def test_the_spec_example_of_tiles_for_a_tree_of_70000() -> None:
    tiles = tiles_for_size(70_000)
    level0 = [t for t in tiles if t.level == 0]
    assert len([t for t in level0 if t.full]) == 273 and level0[-1].width == 112
    assert [t.width for t in tiles if t.level == 1] == [256, 17]
    assert [t.width for t in tiles if t.level == 2] == [1]
    assert [t.width for t in tiles_for_size(256)] == [256, 1]


def test_proofs_read_from_tiles_equal_proofs_from_memory() -> None:
    tree = MemoryTree()
    tree.extend(f"e{i}".encode() for i in range(70_000))

    def source(tile: Tile) -> bytes:
        level = tree.levels[tile.level * 8]
        start = tile.index * 256 * 32
        return bytes(level[start : start + tile.width * 32])

    reader = TileReader(70_000, source)
    for index in (0, 255, 256, 65_535, 69_999):
        assert inclusion_proof(reader, index, 70_000) == inclusion_proof(tree, index, 70_000)
    assert consistency_proof(reader, 300, 70_000) == consistency_proof(tree, 300, 70_000)


@given(st.lists(st.binary(max_size=300), max_size=50))
def test_bundles_round_trip(entries: list[bytes]) -> None:
    assert decode_bundle(encode_bundle(entries)) == entries


def test_truncated_bundles_are_refused() -> None:
    with pytest.raises(FormatError):
        decode_bundle(b"\x00\x05abc")


def test_event_entries_round_trip_and_hold_no_personal_data() -> None:
    entry = EventEntry(7, "birth.recorded", bytes(range(32)), bytes(32))
    assert decode_entry(entry.encode()) == entry
    assert entry.encode().decode().splitlines()[:3] == ["jaga/event/v1", "7", "birth.recorded"]
    with pytest.raises(FormatError):
        decode_entry(b"jaga/event/v1\n0\nbirth.recorded\n" + b"00" * 32 + b"\n" + b"00" * 32 + b"\n")
