// Command verify_tiles checks a static copy of a jaga log (`jaga ledger export-tiles DIR`) with an
// independent implementation: Go's golang.org/x/mod/sumdb/note and sumdb/tlog.
//
// Usage:
//
//	verify_tiles DIR VKEY [OLD_CHECKPOINT_FILE]
//
// DIR holds checkpoint, tile/<L>/<N>[.p/W] and tile/entries/<N>[.p/W] (C2SP tlog-tiles); VKEY is the log's
// verifier key (name+hexkeyid+base64(0x01||pubkey)). It checks the checkpoint's signature, the tree hash the
// tiles give against the signed root, that every entry in the bundles hashes to its (authenticated) leaf
// hash, inclusion proofs for a sample of records, and, given an older checkpoint, a consistency proof from
// it to the current one. Prints "ok ..." and exits 0, or prints the reason to stderr and exits 1.
//
// Build in GOPATH mode against Debian's golang-golang-x-mod-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o verify_tiles verify_tiles.go
package main

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// tileHeight is the C2SP tlog-tiles height: 256 hashes (or entries) per tile.
const tileHeight = 8

type checkpoint struct {
	origin string
	tree   tlog.Tree
}

// openCheckpoint verifies the note's signature by the log's key, then parses the C2SP tlog-checkpoint
// text: origin, decimal size, base64 root hash, optional extension lines.
func openCheckpoint(msg []byte, verifier note.Verifier) (checkpoint, error) {
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return checkpoint{}, fmt.Errorf("checkpoint signature: %w", err)
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) < 3 {
		return checkpoint{}, fmt.Errorf("checkpoint has %d lines, want at least 3", len(lines))
	}
	if lines[0] == "" {
		return checkpoint{}, errors.New("checkpoint origin is empty")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return checkpoint{}, fmt.Errorf("checkpoint size %q is not a canonical decimal number", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return checkpoint{}, fmt.Errorf("checkpoint root %q is not a base64 SHA-256 hash", lines[2])
	}
	var hash tlog.Hash
	copy(hash[:], root)
	return checkpoint{origin: lines[0], tree: tlog.Tree{N: size, Hash: hash}}, nil
}

// c2spPath maps x/mod's tile path ("tile/8/L/N[.p/W]", "tile/8/data/N[.p/W]") to the C2SP tlog-tiles
// one ("tile/L/N[.p/W]", "tile/entries/N[.p/W]"): C2SP fixes the height at 8 and leaves it out.
func c2spPath(t tlog.Tile) (string, error) {
	if t.H != tileHeight {
		return "", fmt.Errorf("tile %v has height %d, want %d", t, t.H, tileHeight)
	}
	prefix := fmt.Sprintf("tile/%d/", t.H)
	p := t.Path()
	if !strings.HasPrefix(p, prefix) {
		return "", fmt.Errorf("unexpected x/mod tile path %q", p)
	}
	rest := p[len(prefix):]
	if t.L == -1 {
		if !strings.HasPrefix(rest, "data/") {
			return "", fmt.Errorf("unexpected x/mod data tile path %q", p)
		}
		rest = "entries/" + rest[len("data/"):]
	}
	return "tile/" + rest, nil
}

// dirTiles is a tlog.TileReader over an exported folder. Tiles it returns are not trusted:
// tlog.TileHashReader authenticates them against the signed tree hash.
type dirTiles struct {
	dir   string
	cache map[tlog.Tile][]byte
}

func (r *dirTiles) Height() int { return tileHeight }

func (r *dirTiles) read(t tlog.Tile) ([]byte, error) {
	if data, ok := r.cache[t]; ok {
		return data, nil
	}
	rel, err := c2spPath(t)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil, err
	}
	r.cache[t] = data
	return data, nil
}

func (r *dirTiles) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := r.read(t)
		if err != nil {
			return nil, err
		}
		if len(data) != t.W*tlog.HashSize {
			rel, _ := c2spPath(t)
			return nil, fmt.Errorf("%s has %d bytes, want %d (%d hashes)", rel, len(data), t.W*tlog.HashSize, t.W)
		}
		out[i] = data
	}
	return out, nil
}

func (r *dirTiles) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

// bundle reads and decodes the entry bundle holding record index: each entry is a big-endian uint16
// length and that many bytes; a bundle of a tree of the given size holds exactly its tile's width.
func (r *dirTiles) bundle(size, index int64) ([][]byte, error) {
	n := index >> tileHeight
	w := size - n<<tileHeight
	if w > 1<<tileHeight {
		w = 1 << tileHeight
	}
	t := tlog.Tile{H: tileHeight, L: -1, N: n, W: int(w)}
	rel, err := c2spPath(t)
	if err != nil {
		return nil, err
	}
	data, err := r.read(t)
	if err != nil {
		return nil, err
	}
	var entries [][]byte
	for off := 0; off < len(data); {
		if off+2 > len(data) {
			return nil, fmt.Errorf("%s: truncated entry length at byte %d", rel, off)
		}
		length := int(binary.BigEndian.Uint16(data[off:]))
		off += 2
		if off+length > len(data) {
			return nil, fmt.Errorf("%s: entry %d runs past the end of the bundle", rel, len(entries))
		}
		entries = append(entries, data[off:off+length])
		off += length
	}
	if len(entries) != t.W {
		return nil, fmt.Errorf("%s holds %d entries, want %d", rel, len(entries), t.W)
	}
	return entries, nil
}

// sampleIndexes picks records to prove: both ends, the middle, tile edges, the old tree's edge and a few
// pseudo-random ones (fixed seed, so runs are repeatable).
func sampleIndexes(size, oldSize int64) []int64 {
	candidates := []int64{0, 1, size / 2, size - 1, size - 2, 255, 256, 65535, 65536, oldSize - 1, oldSize}
	rng := rand.New(rand.NewSource(size))
	for i := 0; i < 8; i++ {
		candidates = append(candidates, rng.Int63n(size))
	}
	seen := map[int64]bool{}
	var out []int64
	for _, i := range candidates {
		if i >= 0 && i < size && !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out
}

func run(args []string) (string, error) {
	if len(args) != 2 && len(args) != 3 {
		return "", errors.New("usage: verify_tiles DIR VKEY [OLD_CHECKPOINT_FILE]")
	}
	dir := args[0]
	verifier, err := note.NewVerifier(strings.TrimSpace(args[1]))
	if err != nil {
		return "", fmt.Errorf("verifier key: %w", err)
	}
	msg, err := os.ReadFile(filepath.Join(dir, "checkpoint"))
	if err != nil {
		return "", err
	}
	current, err := openCheckpoint(msg, verifier)
	if err != nil {
		return "", err
	}
	size, root := current.tree.N, current.tree.Hash
	if size == 0 {
		return "", errors.New("the checkpoint is of an empty log: nothing to check")
	}
	tiles := &dirTiles{dir: dir, cache: map[tlog.Tile][]byte{}}
	hashes := tlog.TileHashReader(current.tree, tiles)

	// The tiles must give the signed root.
	th, err := tlog.TreeHash(size, hashes)
	if err != nil {
		return "", fmt.Errorf("tree hash from the tiles: %w", err)
	}
	if th != root {
		return "", fmt.Errorf("tree hash from the tiles is %v, the checkpoint says %v", th, root)
	}

	// Every entry in every bundle must hash to its leaf in the level-0 tiles (which TileHashReader
	// authenticates against the root while reading them).
	leafIndexes := make([]int64, size)
	for i := range leafIndexes {
		leafIndexes[i] = tlog.StoredHashIndex(0, int64(i))
	}
	leaves, err := hashes.ReadHashes(leafIndexes)
	if err != nil {
		return "", fmt.Errorf("leaf hashes from the level-0 tiles: %w", err)
	}
	entryHash := func(i int64) (tlog.Hash, error) {
		entries, err := tiles.bundle(size, i)
		if err != nil {
			return tlog.Hash{}, err
		}
		return tlog.RecordHash(entries[i%(1<<tileHeight)]), nil
	}
	for i := int64(0); i < size; i++ {
		h, err := entryHash(i)
		if err != nil {
			return "", err
		}
		if h != leaves[i] {
			return "", fmt.Errorf("entry %d hashes to %v, its leaf in the level-0 tile is %v", i, h, leaves[i])
		}
	}

	// Older checkpoint: same key, same origin, and a consistency proof to the current tree.
	var old *checkpoint
	if len(args) == 3 {
		oldMsg, err := os.ReadFile(args[2])
		if err != nil {
			return "", err
		}
		o, err := openCheckpoint(oldMsg, verifier)
		if err != nil {
			return "", fmt.Errorf("old %w", err)
		}
		if o.origin != current.origin {
			return "", fmt.Errorf("old checkpoint origin %q, current %q", o.origin, current.origin)
		}
		if o.tree.N < 1 || o.tree.N > size {
			return "", fmt.Errorf("old checkpoint size %d is not in 1..%d", o.tree.N, size)
		}
		old = &o
	}

	// Inclusion proofs for a sample of records, from the tiles, checked against the signed root.
	var oldSize int64 = -1
	if old != nil {
		oldSize = old.tree.N
	}
	sample := sampleIndexes(size, oldSize)
	for _, i := range sample {
		proof, err := tlog.ProveRecord(size, i, hashes)
		if err != nil {
			return "", fmt.Errorf("inclusion proof for record %d: %w", i, err)
		}
		h, err := entryHash(i)
		if err != nil {
			return "", err
		}
		if err := tlog.CheckRecord(proof, size, root, i, h); err != nil {
			return "", fmt.Errorf("inclusion proof for record %d does not check: %w", i, err)
		}
	}

	consistency := "none"
	if old != nil {
		proof, err := tlog.ProveTree(size, old.tree.N, hashes)
		if err != nil {
			return "", fmt.Errorf("consistency proof %d->%d: %w", old.tree.N, size, err)
		}
		if err := tlog.CheckTree(proof, size, root, old.tree.N, old.tree.Hash); err != nil {
			return "", fmt.Errorf("consistency proof %d->%d does not check: %w", old.tree.N, size, err)
		}
		consistency = fmt.Sprintf("%d->%d", old.tree.N, size)
	}
	return fmt.Sprintf("ok origin=%s size=%d root=%v entries=%d records=%d consistency=%s",
		current.origin, size, root, size, len(sample), consistency), nil
}

func main() {
	line, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "verify_tiles:", err)
		os.Exit(1)
	}
	fmt.Println(line)
}
