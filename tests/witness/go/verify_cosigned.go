// Command verify_cosigned checks a checkpoint cosigned by jaga witnesses with an independent
// implementation: Go's golang.org/x/mod/sumdb/note opens the note (its format, key names and key IDs, the
// rule that a known key's bad signature rejects the note), with the log's Ed25519 verifier from
// note.NewVerifier and, for each witness, a note.Verifier for C2SP tlog-cosignature v1 written here from
// the spec (x/mod knows only signature type 0x01): the key ID is SHA-256(name || "\n" || 0x04 || key)[:4],
// the signature is a u64 big-endian timestamp followed by an Ed25519 signature over
// "cosignature/v1\ntime <timestamp>\n" || the checkpoint text.
//
// Usage:
//
//	verify_cosigned NOTE_FILE LOG_VKEY WITNESS_VKEY...
//
// Prints "ok witnesses=<name>@<timestamp>,..." (the witnesses whose cosignatures verified) and exits 0,
// or prints the reason to stderr and exits 1.
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o verify_cosigned verify_cosigned.go
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

const cosignatureV1 = 0x04

type cosignatureVerifier struct {
	name string
	hash uint32
	key  ed25519.PublicKey
	seen map[string]uint64
}

func (v *cosignatureVerifier) Name() string    { return v.name }
func (v *cosignatureVerifier) KeyHash() uint32 { return v.hash }

func (v *cosignatureVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig[:8])
	if t > 1<<63-1 {
		return false
	}
	signed := append([]byte("cosignature/v1\ntime "+strconv.FormatUint(t, 10)+"\n"), msg...)
	if !ed25519.Verify(v.key, signed, sig[8:]) {
		return false
	}
	v.seen[v.name] = t
	return true
}

func newCosignatureVerifier(vkey string, seen map[string]uint64) (*cosignatureVerifier, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("witness vkey %q: want name+keyid+key", vkey)
	}
	name, hexID, encoded := parts[0], parts[1], parts[2]
	raw, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil || len(raw) != 1+ed25519.PublicKeySize || raw[0] != cosignatureV1 {
		return nil, fmt.Errorf("witness vkey %q: not a type 0x04 Ed25519 key", vkey)
	}
	digest := sha256.Sum256(append([]byte(name+"\n"), raw...))
	hash := binary.BigEndian.Uint32(digest[:4])
	if id, err := hex.DecodeString(hexID); err != nil || len(id) != 4 || binary.BigEndian.Uint32(id) != hash {
		return nil, fmt.Errorf("witness vkey %q: key ID does not match the key", vkey)
	}
	return &cosignatureVerifier{name: name, hash: hash, key: ed25519.PublicKey(raw[1:]), seen: seen}, nil
}

func run(args []string) (string, error) {
	if len(args) < 3 {
		return "", fmt.Errorf("usage: verify_cosigned NOTE_FILE LOG_VKEY WITNESS_VKEY...")
	}
	msg, err := os.ReadFile(args[0])
	if err != nil {
		return "", err
	}
	log, err := note.NewVerifier(args[1])
	if err != nil {
		return "", fmt.Errorf("log vkey: %w", err)
	}
	seen := map[string]uint64{}
	verifiers := []note.Verifier{log}
	for _, vkey := range args[2:] {
		v, err := newCosignatureVerifier(vkey, seen)
		if err != nil {
			return "", err
		}
		verifiers = append(verifiers, v)
	}
	n, err := note.Open(msg, note.VerifierList(verifiers...))
	if err != nil {
		return "", fmt.Errorf("note: %w", err)
	}
	logSigned := false
	var names []string
	for _, sig := range n.Sigs {
		if sig.Name == log.Name() && sig.Hash == log.KeyHash() {
			logSigned = true
		} else if t, ok := seen[sig.Name]; ok {
			names = append(names, fmt.Sprintf("%s@%d", sig.Name, t))
		}
	}
	if !logSigned {
		return "", fmt.Errorf("no signature by the log's key")
	}
	return "ok witnesses=" + strings.Join(names, ","), nil
}

func main() {
	out, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "verify_cosigned:", err)
		os.Exit(1)
	}
	fmt.Println(out)
}
