/* jaga: checking a certificate in the browser (the page /v).

   The certificate's QR code opens /v#JG1U:<payload>. The fragment never leaves this phone: this script
   reads it, inflates it, recomputes the commitment, the log entry, the leaf and the root, and checks the
   log's Ed25519 signature and the witnesses' cosignatures with WebCrypto, against the verifier keys this
   page was served with (pinned in its data block; never fetched with or from the payload). Then it asks
   the registry for the certificate's status by its number alone, and checks from the log's tiles that the
   log today extends the one the certificate was proved in.

   Each function mirrors one in Python, named in the comment above it, so that a reviewer can compare them;
   tests/portal/test_verify_corpus.py runs one corpus through both and compares every check. No framework,
   no dependency: the platform has all it takes (TextDecoder, DecompressionStream, crypto.subtle, BigInt). */
"use strict";
(function () {
  const encoder = new TextEncoder();
  const utf8 = (text) => encoder.encode(text);

  class FormatError extends Error {} // jaga.ledger.FormatError
  class ProofInvalid extends Error {} // jaga.ledger.ProofInvalid, TreeError, SignatureInvalid
  class Unavailable extends Error {} // jaga.errors.Unavailable: the network failed
  class NotFound extends Error {} // jaga.errors.NotFound: the server answered 404

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const equal = (a, b) => a.length === b.length && a.every((value, i) => value === b[i]);
  const uint32 = (bytes) => new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

  function b64encode(bytes) {
    return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));
  }
  // base64.b64decode(text, validate=True)
  function b64decode(text) {
    if (text.length % 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new FormatError("not base64");
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  }

  // ---- jaga/certificates/base42.py ----
  const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*-./:";
  const BASE = 42;

  function b42decode(text) {
    const values = [];
    for (let position = 0; position < text.length; position++) {
      const value = ALPHABET.indexOf(text[position]);
      if (value < 0) throw new FormatError(`character ${position + 1} is not in the base42 alphabet`);
      values.push(value);
    }
    if (values.length % 3 === 1) throw new FormatError("base42 text cannot have a length of 3k + 1");
    const out = [];
    for (let at = 0; at < values.length; at += 3) {
      const group = values.slice(at, at + 3);
      if (group.length === 3) {
        const n = group[0] + group[1] * BASE + group[2] * BASE * BASE;
        if (n > 0xffff) throw new FormatError(`base42 group ${at / 3 + 1} is larger than two bytes`);
        out.push(n >> 8, n & 0xff);
      } else {
        const n = group[0] + group[1] * BASE;
        if (n > 0xff) throw new FormatError("the last base42 pair is larger than a byte");
        out.push(n);
      }
    }
    return Uint8Array.from(out);
  }

  // ---- jaga/certificates/payload.py ----
  const PREFIX = "JG1:";
  const URL_MARKER = "JG1U:";
  const VERSION = 1;
  const SALT_BYTES = 16;
  const HASH_BYTES = 32;
  const MAX_BODY = 64 * 1024;

  // payload_text
  function payloadText(text) {
    text = text.trim();
    if (/^https?:\/\//i.test(text) && text.includes("#")) return text.slice(text.indexOf("#") + 1);
    return text;
  }

  // _Reader
  class Reader {
    constructor(data) {
      this.data = data;
      this.at = 0;
    }
    take(count, what) {
      if (this.at + count > this.data.length) throw new FormatError(`certificate payload ends inside its ${what}`);
      const chunk = this.data.subarray(this.at, this.at + count);
      this.at += count;
      return chunk;
    }
    byte(what) {
      return this.take(1, what)[0];
    }
    uvarint(what) {
      let value = 0n;
      let shift = 0n;
      for (;;) {
        const byte = this.byte(what);
        value |= BigInt(byte & 0x7f) << shift;
        if (!(byte & 0x80)) return value;
        shift += 7n;
        if (shift > 63n) throw new FormatError(`certificate payload's ${what} is too large`);
      }
    }
    rest() {
      return this.data.subarray(this.at);
    }
  }

  // _inflate: one complete zlib stream, nothing after it, at most MAX_BODY bytes
  async function inflate(raw) {
    const chunks = [];
    let total = 0;
    try {
      const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream("deflate"));
      const reader = stream.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.length;
        if (total > MAX_BODY) {
          reader.cancel().catch(() => {});
          throw new FormatError(`the certificate payload inflates beyond ${MAX_BODY} bytes: it is not one`);
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof FormatError) throw error;
      throw new FormatError("the certificate payload is damaged (compression)");
    }
    return concat(...chunks);
  }

  // decode (the link form: this page reads what a certificate's QR code opens)
  async function decode(text) {
    text = payloadText(text);
    if (!text.startsWith(URL_MARKER)) {
      const form = text.startsWith(PREFIX) ? ` (${PREFIX} text is read by jaga verify)` : "";
      throw new FormatError(`not a jaga certificate link: the part after # must start with ${URL_MARKER}${form}`);
    }
    let raw;
    try {
      raw = b42decode(text.slice(URL_MARKER.length));
    } catch (error) {
      throw new FormatError(`the certificate payload is damaged (${error.message})`);
    }
    const reader = new Reader(await inflate(raw));
    const version = reader.byte("version");
    if (version !== VERSION) {
      throw new FormatError(`certificate payload version ${version} is not supported (this page reads 1)`);
    }
    const origin = new TextDecoder("utf-8").decode(reader.take(reader.byte("origin length"), "origin"));
    const size = reader.uvarint("tree size");
    const index = reader.uvarint("leaf index");
    if (index >= size) throw new FormatError(`leaf index ${index} is outside the tree of size ${size}`);
    const salt = reader.take(SALT_BYTES, "salt");
    const meta = reader.take(HASH_BYTES, "meta hash");
    const nodes = [];
    for (let count = reader.byte("proof length"); count > 0; count--) {
      nodes.push(reader.take(HASH_BYTES, "inclusion proof"));
    }
    const signatures = [];
    for (let count = reader.byte("signature count"); count > 0; count--) {
      const keyId = uint32(reader.take(4, "key ID"));
      signatures.push([keyId, reader.take(reader.byte("signature length"), "signature")]);
    }
    const payload = reader.rest();
    if (!payload.length) throw new FormatError("the certificate payload carries no record");
    return { origin, size, index, salt, meta, proof: nodes, signatures, payload };
  }

  // ---- jaga/ledger/hashing.py, events.py ----
  async function sha256(...parts) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", concat(...parts)));
  }
  const leafHash = (entry) => sha256(Uint8Array.of(0), entry);
  const nodeHash = (left, right) => sha256(Uint8Array.of(1), left, right);
  const commitment = (salt, payload) => sha256(utf8("jaga/commitment/v1\n"), salt, payload);
  // EventEntry.encode
  const entryBytes = (seq, kind, commit, meta) =>
    utf8(`jaga/event/v1\n${seq}\n${kind}\n${hex(commit)}\n${hex(meta)}\n`);
  // largest_power_of_two_below
  const largestPowerOfTwoBelow = (n) => 1n << BigInt((n - 1n).toString(2).length - 1);

  // ---- jaga/ledger/proofs.py ----
  // root_from_inclusion
  async function rootFromInclusion(index, size, leaf, proof) {
    if (!(index >= 0n && index < size)) throw new ProofInvalid(`leaf index ${index} is not below tree size ${size}`);
    let fn = index;
    let sn = size - 1n;
    let r = leaf;
    for (const p of proof) {
      if (p.length !== HASH_BYTES) throw new ProofInvalid(`proof hash has ${p.length} bytes`);
      if (sn === 0n) throw new ProofInvalid(`proof has ${proof.length} hashes, more than a tree of size ${size} needs`);
      if (fn & 1n || fn === sn) {
        r = await nodeHash(p, r);
        if (!(fn & 1n)) {
          while (fn !== 0n && !(fn & 1n)) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        r = await nodeHash(r, p);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    if (sn !== 0n) throw new ProofInvalid(`proof has ${proof.length} hashes, fewer than a tree of size ${size} needs`);
    return r;
  }

  // subtree_hash
  async function subtreeHash(reader, start, end) {
    const size = end - start;
    if (size <= 0n) throw new ProofInvalid(`empty range [${start}, ${end})`);
    if ((size & (size - 1n)) === 0n && start % size === 0n) {
      return reader.node(size.toString(2).length - 1, start / size);
    }
    const k = largestPowerOfTwoBelow(size);
    return nodeHash(await subtreeHash(reader, start, start + k), await subtreeHash(reader, start + k, end));
  }

  // consistency_proof
  async function consistencyProof(reader, oldSize, newSize) {
    if (!(oldSize > 0n && oldSize <= newSize)) throw new ProofInvalid(`no consistency proof from ${oldSize} to ${newSize}`);
    const proof = [];
    let start = 0n;
    let end = newSize;
    let m = oldSize;
    let complete = true;
    while (m !== end - start) {
      const k = largestPowerOfTwoBelow(end - start);
      if (m <= k) {
        proof.push(await subtreeHash(reader, start + k, end));
        end = start + k;
      } else {
        proof.push(await subtreeHash(reader, start, start + k));
        start += k;
        m -= k;
        complete = false;
      }
    }
    if (!complete) proof.push(await subtreeHash(reader, start, end));
    return proof.reverse();
  }

  // verify_consistency (old_size < new_size here; equal sizes compare roots)
  async function verifyConsistency(oldSize, newSize, proof, oldRoot, newRoot) {
    if (!proof.length) throw new ProofInvalid("empty consistency proof for different tree sizes");
    const path = [...proof];
    if ((oldSize & (oldSize - 1n)) === 0n) path.unshift(oldRoot);
    let fn = oldSize - 1n;
    let sn = newSize - 1n;
    while (fn & 1n) {
      fn >>= 1n;
      sn >>= 1n;
    }
    let fr = path[0];
    let sr = path[0];
    for (const c of path.slice(1)) {
      if (sn === 0n) throw new ProofInvalid("consistency proof is longer than the trees need");
      if (fn & 1n || fn === sn) {
        fr = await nodeHash(c, fr);
        sr = await nodeHash(c, sr);
        if (!(fn & 1n)) {
          while (fn !== 0n && !(fn & 1n)) {
            fn >>= 1n;
            sn >>= 1n;
          }
        }
      } else {
        sr = await nodeHash(sr, c);
      }
      fn >>= 1n;
      sn >>= 1n;
    }
    if (sn !== 0n) throw new ProofInvalid("consistency proof is shorter than the trees need");
    if (!equal(fr, oldRoot)) throw new ProofInvalid("consistency proof leads to another old root");
    if (!equal(sr, newRoot)) throw new ProofInvalid("consistency proof leads to another new root");
  }

  // ---- jaga/ledger/tiles.py ----
  const TILE_WIDTH = 256n;
  const TILE_HEIGHT = 8;

  // encode_index
  function encodeIndex(index) {
    let digits = index.toString();
    digits = "0".repeat((3 - (digits.length % 3)) % 3) + digits;
    const parts = digits.match(/.{3}/g);
    return [...parts.slice(0, -1).map((part) => "x" + part), parts[parts.length - 1]].join("/");
  }

  // Tile.path
  const tilePath = (level, index, width) =>
    `tile/${level}/${encodeIndex(index)}${width === TILE_WIDTH ? "" : `.p/${width}`}`;

  // TileReader
  class TileReader {
    constructor(size, source) {
      this.size = size;
      this.source = source;
      this.cache = new Map();
    }
    async tile(level, index) {
      const key = `${level}/${index}`;
      if (this.cache.has(key)) return this.cache.get(key);
      const stored = this.size >> BigInt(TILE_HEIGHT * level);
      let width = stored - index * TILE_WIDTH;
      if (width > TILE_WIDTH) width = TILE_WIDTH;
      if (width <= 0n) throw new ProofInvalid(`no tile ${level}/${index} in a tree of size ${this.size}`);
      const data = await this.source(level, index, width);
      if (data.length !== Number(width) * HASH_BYTES) throw new FormatError(`tile ${level}/${index} has ${data.length} bytes`);
      this.cache.set(key, data);
      return data;
    }
    async stored(tileLevel, index) {
      const data = await this.tile(tileLevel, index / TILE_WIDTH);
      const offset = Number(index % TILE_WIDTH) * HASH_BYTES;
      return data.subarray(offset, offset + HASH_BYTES);
    }
    async node(level, index) {
      if ((index + 1n) << BigInt(level) > this.size) {
        throw new ProofInvalid(`no complete subtree at level ${level}, index ${index} in a tree of size ${this.size}`);
      }
      const tileLevel = Math.floor(level / TILE_HEIGHT);
      const height = level % TILE_HEIGHT;
      if (height === 0) return this.stored(tileLevel, index);
      const width = 1n << BigInt(height);
      let hashes = [];
      for (let i = index * width; i < (index + 1n) * width; i++) hashes.push(await this.stored(tileLevel, i));
      while (hashes.length > 1) {
        const next = [];
        for (let i = 0; i < hashes.length; i += 2) next.push(await nodeHash(hashes[i], hashes[i + 1]));
        hashes = next;
      }
      return hashes[0];
    }
  }

  // ---- jaga/ledger/note.py, cosignature.py, keys.py, checkpoint.py ----
  const ED25519 = 0x01;
  const COSIGNATURE_V1 = 0x04;
  const MAX_TIMESTAMP = (1n << 63n) - 1n;

  // check_key_name
  function checkKeyName(name) {
    if (!name || /\s/.test(name) || name.includes("+")) throw new FormatError("key name must be non-empty, without spaces or '+'");
  }

  // parse_vkey (name+keyid+base64(type || key)); the key ID must match
  async function parseVkey(text) {
    const [name, hexId, ...rest] = text.trim().split("+");
    checkKeyName(name);
    const blob = b64decode(rest.join("+"));
    const type = blob[0];
    const raw = blob.subarray(1);
    if (type !== ED25519 && type !== COSIGNATURE_V1) throw new FormatError(`verifier key type ${type} is not supported`);
    const id = uint32(await sha256(utf8(name + "\n"), Uint8Array.of(type), raw));
    if (id.toString(16).padStart(8, "0") !== hexId) throw new FormatError(`verifier key ID ${hexId} does not match its key`);
    const key = await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
    return { name, keyId: id, type, key };
  }

  async function ed25519(key, signature, message) {
    try {
      return await crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
    } catch (error) {
      return false;
    }
  }

  // Ed25519Verifier.verify, CosignatureVerifier.verify (cosigned_message)
  async function verifyWith(verifier, text, signature) {
    if (verifier.type === COSIGNATURE_V1) {
      if (signature.length !== 72) return false;
      const timestamp = new DataView(signature.buffer, signature.byteOffset, 8).getBigUint64(0);
      if (timestamp > MAX_TIMESTAMP) return false;
      const message = concat(utf8(`cosignature/v1\ntime ${timestamp}\n`), utf8(text));
      return ed25519(verifier.key, signature.subarray(8), message);
    }
    return ed25519(verifier.key, signature, utf8(text));
  }

  // parse_note
  function parseNote(message) {
    if (/[\u0000-\u0009\u000b-\u001f]/.test(message)) throw new FormatError("note contains control characters other than newline");
    const split = message.lastIndexOf("\n\n");
    if (split < 0) throw new FormatError("note has no blank line between text and signatures");
    const text = message.slice(0, split + 1);
    const lines = message.slice(split + 2);
    if (!lines.endsWith("\n")) throw new FormatError("note signatures must end with a newline");
    const signatures = [];
    for (const line of lines.slice(0, -1).split("\n")) {
      if (!line.startsWith("\u2014 ")) throw new FormatError("signature line does not start with an em dash and a space");
      const body = line.slice(2);
      const space = body.lastIndexOf(" ");
      if (space < 0) throw new FormatError("signature line has no name");
      const name = body.slice(0, space);
      checkKeyName(name);
      const blob = b64decode(body.slice(space + 1));
      if (blob.length < 5) throw new FormatError("signature is shorter than a key ID and one byte");
      signatures.push({ name, keyId: uint32(blob), signature: blob.subarray(4) });
    }
    if (!signatures.length) throw new FormatError("note has no signatures");
    if (signatures.length > 100) throw new FormatError("note has more than 100 signatures");
    return { text, signatures };
  }

  // open_note: unknown signatures are ignored, a known key's failing one rejects, one must verify
  async function openNote(message, verifiers) {
    const note = parseNote(message);
    let good = 0;
    for (const signature of note.signatures) {
      const verifier = verifiers.find((v) => v.name === signature.name && v.keyId === signature.keyId);
      if (!verifier) continue;
      if (!(await verifyWith(verifier, note.text, signature.signature))) {
        throw new ProofInvalid(`the signature by ${signature.name} does not verify`);
      }
      good += 1;
    }
    if (!good) throw new ProofInvalid("no signature by a trusted key");
    return note;
  }

  // parse_checkpoint_text
  function parseCheckpointText(text) {
    if (!text.endsWith("\n")) throw new FormatError("checkpoint text must end with a newline");
    const [origin, sizeText, rootText, ...extensions] = text.slice(0, -1).split("\n");
    if (rootText === undefined) throw new FormatError("checkpoint needs at least 3 lines (origin, size, root)");
    if (!origin) throw new FormatError("checkpoint origin is empty");
    if (!/^(0|[1-9][0-9]*)$/.test(sizeText) || sizeText.length > 20) throw new FormatError("checkpoint tree size is not a decimal number");
    const size = BigInt(sizeText);
    if (size >= 1n << 63n) throw new FormatError("checkpoint tree size is too large");
    const root = b64decode(rootText);
    if (root.length !== HASH_BYTES) throw new FormatError("checkpoint root hash is not 32 bytes");
    if (extensions.some((line) => !line)) throw new FormatError("checkpoint extension lines must be non-empty");
    return { origin, size, root };
  }

  // open_checkpoint
  async function openCheckpoint(message, verifiers, origin) {
    const checkpoint = parseCheckpointText((await openNote(message, verifiers)).text);
    if (checkpoint.origin !== origin) throw new FormatError(`checkpoint origin is not ${origin}`);
    return checkpoint;
  }

  // Checkpoint.text
  const checkpointText = (origin, size, root) => `${origin}\n${size}\n${b64encode(root)}\n`;

  // ---- jaga/certificates/verify.py ----
  const ISSUED_KIND = "certificate.issued";
  const OFFLINE_CHECKS = ["format", "record", "inclusion", "log signature", "witnesses"];
  const FORK_CODES = ["consistency.rollback", "consistency.split", "consistency.checkpoint"];

  // Verification
  class Verification {
    constructor() {
      this.checks = [];
      this.proof = null;
      this.record = null;
      this.root = null;
      this.online = null;
    }
    get ok() {
      return this.checks.length > 0 && this.checks.every((c) => c.ok !== false);
    }
    get verdict() {
      const offline = this.checks.filter((c) => OFFLINE_CHECKS.includes(c.name));
      if (!offline.length || offline.some((c) => c.ok === false)) return "invalid";
      if (this.checks.some((c) => FORK_CODES.includes(c.code))) return "invalid";
      if (this.online === "revoked" || this.online === "amended") return this.online;
      return "valid";
    }
    get content() {
      if (this.record === null || typeof this.record.content !== "string") return null;
      try {
        const value = JSON.parse(this.record.content);
        return isObject(value) ? value : null;
      } catch (error) {
        return null;
      }
    }
    add(name, ok, code, params = {}, detail = "") {
      this.checks.push({ name, ok, code, params, detail });
      return ok !== false;
    }
  }

  // _signature_check
  async function signatureCheck(result, text, proof, logKeys) {
    const carried = new Map(proof.signatures);
    const trusted = logKeys.filter((key) => key.type !== COSIGNATURE_V1);
    const matching = trusted.filter((key) => carried.has(key.keyId));
    if (!matching.length) {
      result.add("log signature", false, "signature.unknown-key");
      return;
    }
    for (const key of matching) {
      if (key.name === proof.origin && (await verifyWith(key, text, carried.get(key.keyId)))) {
        result.add("log signature", true, "signature.ok", { origin: proof.origin, size: proof.size });
        return;
      }
    }
    result.add("log signature", false, "signature.altered");
  }

  // _witness_check
  async function witnessCheck(result, text, proof, witnesses, minimum) {
    if (!witnesses.length) {
      result.add("witnesses", null, "witnesses.none");
      return;
    }
    const carried = new Map(proof.signatures);
    let good = 0;
    for (const witness of witnesses) {
      const signature = carried.get(witness.keyId);
      if (signature !== undefined && (await verifyWith(witness, text, signature))) good += 1;
    }
    const ok = good >= minimum;
    result.add("witnesses", ok, ok ? "witnesses.ok" : "witnesses.bad", { good, total: witnesses.length, minimum });
  }

  // verify_payload
  async function verifyPayload(text, logKeys, witnesses, minWitnesses) {
    const result = new Verification();
    let proof;
    try {
      proof = await decode(text);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      result.add("format", false, "format.bad", {}, error.message);
      return result;
    }
    result.proof = proof;
    result.add("format", true, "format.ok");
    let record;
    try {
      record = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(proof.payload));
      if (!isObject(record)) throw new FormatError("not an object");
      result.record = record;
    } catch (error) {
      result.add("record", false, "record.unreadable");
      return result;
    }
    const entry = entryBytes(proof.index + 1n, ISSUED_KIND, await commitment(proof.salt, proof.payload), proof.meta);
    let root;
    try {
      root = await rootFromInclusion(proof.index, proof.size, await leafHash(entry), proof.proof);
    } catch (error) {
      if (!(error instanceof ProofInvalid)) throw error;
      result.add("inclusion", false, "inclusion.malformed", {}, error.message);
      return result;
    }
    result.root = root;
    const checkpoint = checkpointText(proof.origin, proof.size, root);
    await signatureCheck(result, checkpoint, proof, logKeys);
    const signed = result.checks[result.checks.length - 1].ok === true;
    result.add("inclusion", signed, signed ? "inclusion.ok" : "inclusion.bad", { index: proof.index, size: proof.size });
    await witnessCheck(result, checkpoint, proof, witnesses, minWitnesses);
    const kind = record.kind;
    if (result.content === null || (kind !== "birth" && kind !== "adoption")) {
      result.add("record", false, "record.kind");
    } else {
      result.add("record", true, "record.ok", { kind });
    }
    return result;
  }

  // LogSource.read, from this page's own server (same origin: no other site learns anything)
  async function fetchBytes(path) {
    let response;
    try {
      response = await fetch(path, {
        cache: "no-store",
        credentials: "omit",
        redirect: "error",
        signal: AbortSignal.timeout(10000),
      });
    } catch (error) {
      throw new Unavailable(`${path} cannot be reached`);
    }
    if (response.status === 404) throw new NotFound(`${path} answered 404`);
    if (!response.ok) throw new Unavailable(`${path} answered ${response.status}`);
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw new Unavailable(`${path} broke off`);
    }
  }
  const fetchTile = (level, index, width) => fetchBytes(`/ledger/${tilePath(level, index, width)}`);

  // verify_online: the status by the certificate's number alone, then the log's consistency
  async function verifyOnline(result, logKeys) {
    const ref = String(result.record.ref ?? "");
    let status = null;
    try {
      status = JSON.parse(new TextDecoder().decode(await fetchBytes(`/verify/v1/certificates/${encodeURIComponent(ref)}`)));
      if (!isObject(status)) throw new FormatError("not an object");
    } catch (error) {
      status = null;
      result.online = "unavailable";
      result.add("status", null, "status.unavailable");
    }
    if (status !== null) checkStatus(result, status);
    let note;
    try {
      note = new TextDecoder("utf-8", { fatal: true }).decode(await fetchBytes("/ledger/checkpoint"));
    } catch (error) {
      result.add("log consistency", null, "consistency.unavailable");
      return;
    }
    await checkConsistency(result, note, (size) => new TileReader(size, fetchTile), logKeys);
  }

  // check_status
  function checkStatus(result, status) {
    if (status.status !== "valid") {
      const params = { revoked_at: String(status.revoked_at || "?") };
      if (status.superseded_by) params.superseded_by = String(status.superseded_by);
      result.online = "revoked";
      result.add("status", false, "status.revoked", params);
      return;
    }
    const later = Array.isArray(status.later_events) ? status.later_events : [];
    if (!status.content_current) {
      const kinds = [...new Set(later.filter(isObject).map((e) => String(e.kind)))].sort().join(", ") || "a correction";
      result.online = "amended";
      result.add("status", false, "status.amended", { kinds });
      return;
    }
    result.online = "current";
    result.add("status", true, "status.current");
  }

  // check_consistency
  async function checkConsistency(result, note, reader, logKeys) {
    let current;
    try {
      current = await openCheckpoint(note, logKeys, result.proof.origin);
    } catch (error) {
      if (!(error instanceof FormatError || error instanceof ProofInvalid)) throw error;
      result.add("log consistency", false, "consistency.checkpoint");
      return;
    }
    const oldSize = result.proof.size;
    const sizes = { size: current.size, old_size: oldSize };
    if (current.size < oldSize) {
      result.add("log consistency", false, "consistency.rollback", sizes);
      return;
    }
    try {
      if (current.size > oldSize) {
        const hashes = await consistencyProof(reader(current.size), oldSize, current.size);
        await verifyConsistency(oldSize, current.size, hashes, result.root, current.root);
      } else if (!equal(current.root, result.root)) {
        throw new ProofInvalid("same size, different root");
      }
    } catch (error) {
      if (error instanceof Unavailable) {
        result.add("log consistency", null, "consistency.unavailable");
        return;
      }
      if (!(error instanceof FormatError || error instanceof ProofInvalid || error instanceof NotFound)) throw error;
      result.add("log consistency", false, "consistency.split", sizes);
      return;
    }
    result.add("log consistency", true, "consistency.ok", { size: current.size });
  }

  // ---- the page (jaga/portal/verify_view.py words and shows the same) ----
  const NIK = /(?<!\d)(\d{6})\d{8}(\d{2})(?!\d)/g;
  const maskNik = (text) => text.replace(NIK, "$1********$2");

  function issuedText(createdAt) {
    const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(String(createdAt ?? ""));
    return match ? `${match[1]} ${match[2]} UTC` : String(createdAt || "—");
  }

  // fact_value
  function factValue(words, key, value) {
    let text;
    if (value === null || value === undefined) text = "—";
    else if (key === "child_sex") text = words.sex[String(value)] ?? String(value);
    else if (key === "child_name_placeholder") text = words.placeholder;
    else if (Array.isArray(value)) {
      text = value.map((d) => `${d.kind ?? ""} ${d.number ?? ""}`.trim()).join("; ") || "—";
    } else text = String(value);
    return maskNik(text);
  }

  // facts
  function facts(words, record, content) {
    const kind = String(record.kind ?? "");
    const rows = [
      [words.facts.kind, words.titles[kind] ?? kind],
      [words.facts.ref, maskNik(String(record.ref ?? ""))],
      [words.facts.issued, issuedText(record.created_at)],
    ];
    for (const [key, label] of words.labels) {
      if (Object.prototype.hasOwnProperty.call(content, key)) rows.push([label, factValue(words, key, content[key])]);
    }
    return rows;
  }

  function format(template, params) {
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? params[name] : whole));
  }

  // check_line
  function checkLine(words, check) {
    const number = new Intl.NumberFormat(words.lang);
    const params = {};
    for (const [key, value] of Object.entries(check.params)) {
      params[key] = typeof value === "bigint" || typeof value === "number" ? number.format(value) : String(value);
    }
    let code = check.code;
    if (code === "status.revoked" && "superseded_by" in params) code = "status.superseded";
    if ("revoked_at" in params) params.revoked_at = params.revoked_at.slice(0, 10);
    const template = words.messages[code];
    const ok = code === "status.unavailable" || code === "consistency.unavailable" ? null : check.ok;
    return { name: check.name, ok, code: check.code, label: words.checks[check.name] ?? check.name, text: template ? format(template, params) : check.detail };
  }

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  }

  function showChecks(words, result) {
    const list = document.getElementById("checks");
    list.replaceChildren(
      ...result.checks.map((check) => {
        const line = checkLine(words, check);
        const state = line.ok === true ? "true" : line.ok === false ? "false" : "none";
        const mark = { true: "✓", false: "✗", none: "–" }[state];
        return element(
          "li",
          { "data-check": line.name, "data-ok": state, "data-code": line.code },
          element("span", { class: `mark mark-${state}`, "aria-hidden": "true" }, mark),
          " ",
          element("strong", {}, line.label),
          `: ${line.text}`,
        );
      }),
    );
  }

  function showVerdict(words, verdict) {
    const [title, summary] = words.verdicts[verdict];
    document.getElementById("verdict-title").textContent = title;
    document.getElementById("verdict-summary").textContent = summary;
    document.getElementById("verdict").setAttribute("data-verdict", verdict);
  }

  function showOnline(words, online, key) {
    const line = document.getElementById("online");
    line.textContent = words.online[key];
    line.setAttribute("data-online", online);
  }

  async function keysOf(texts) {
    const keys = [];
    for (const text of texts) {
      try {
        keys.push(await parseVkey(text));
      } catch (error) {
        // A key this browser cannot use is not trusted; the checks then say that nothing trusted signed.
      }
    }
    return keys;
  }

  async function main() {
    const pinned = JSON.parse(document.getElementById("verify-data").textContent);
    const words = pinned.words;
    const fragment = location.hash.slice(1);
    if (!fragment || !pinned.log_keys.length) return; // nothing to check, or no key to check it with
    // The payload names people: keep it out of the browser's history (and any history sync) from now on.
    history.replaceState(null, "", location.pathname + location.search);
    if (!window.crypto || !crypto.subtle || typeof DecompressionStream === "undefined") {
      document.getElementById("no-crypto").hidden = false;
      return;
    }
    document.getElementById("intro").hidden = true;
    document.getElementById("result").hidden = false;
    document.getElementById("page-host").textContent = location.host;
    showVerdict(words, "checking");
    const logKeys = await keysOf(pinned.log_keys);
    const witnesses = await keysOf(pinned.witness_keys);
    const result = await verifyPayload(fragment, logKeys, witnesses, pinned.min_witnesses);
    document.getElementById("origin").textContent = result.proof ? result.proof.origin : "";
    showChecks(words, result);
    if (result.verdict === "invalid") {
      showOnline(words, "unavailable", "not-checked");
      showVerdict(words, "invalid");
      return;
    }
    const list = document.getElementById("facts");
    list.replaceChildren(...facts(words, result.record, result.content).flatMap(([label, value]) => [element("dt", {}, label), element("dd", {}, value)]));
    document.getElementById("facts-section").hidden = false;
    await verifyOnline(result, logKeys);
    showChecks(words, result);
    showOnline(words, result.online, result.online);
    showVerdict(words, result.verdict);
  }

  window.addEventListener("hashchange", () => location.reload());
  // Once visited, the page and its files stay on the phone, so it checks certificates with no network
  // at all (verify-sw.js). The worker's version follows this script's, so a release replaces both.
  if ("serviceWorker" in navigator) {
    const version = new URL(document.currentScript ? document.currentScript.src : location.href).searchParams.get("v") || "0";
    navigator.serviceWorker.register(`/v-sw.js?v=${encodeURIComponent(version)}`, { scope: "/v" }).catch(() => {});
  }
  main().catch(() => {
    // Not a verdict on the certificate: this browser could not run the check.
    document.getElementById("no-crypto").hidden = false;
  });
})();
