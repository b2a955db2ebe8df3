import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkpointText, openCheckpoint, parseCheckpointText, readCheckpointNote, signCheckpoint } from './checkpoint.js';
import { ed25519KeyId, ed25519Signer, ed25519Verifier, formatVerifierKey, parseVerifierKey } from './ed25519.js';
import { compareCheckpoints } from './fork.js';
import { leafHash, toBase64 } from './hashing.js';
import { MemoryTree } from './merkle-tree.js';
import { consistencyProof } from './proofs.js';
import { openNote, parseNote, signNote } from './signed-note.js';

const ORIGIN = 'entente.example/deu';
const keys = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const signer = ed25519Signer(ORIGIN, keys.privateKey);
const verifier = ed25519Verifier(ORIGIN, keys.publicKey);

const tree = MemoryTree.of(Array.from({ length: 20 }, (_, i) => leafHash(Buffer.from(`entry ${i}`))));
const at = (size: number) => ({ origin: ORIGIN, treeSize: size, rootHash: tree.hash(0, size) });

describe('checkpoints as signed notes', () => {
  it('writes the three lines of C2SP tlog-checkpoint and reads them back', () => {
    const text = checkpointText(at(20));
    expect(text).toBe(`${ORIGIN}\n20\n${toBase64(tree.root())}\n`);
    expect(parseCheckpointText(text)).toEqual({ origin: ORIGIN, treeSize: 20, rootHash: Buffer.from(tree.root()) });
  });

  it('derives the Ed25519 key ID as SHA-256(name || 0x0A || 0x01 || key)[:4], as in the signed-note specification', () => {
    // The public key and key ID of the specification's example verifier key
    // (PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW, from golang.org/x/mod/sumdb/note).
    const raw = Buffer.from('ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW', 'base64').subarray(1);
    expect(ed25519KeyId('PeterNeumann', raw).toString(16)).toBe('c74f20a3');
    expect(parseVerifierKey('PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW').keyId).toBe(0xc74f20a3);
    expect(() => parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(/key ID does not match/);
    expect(parseVerifierKey(formatVerifierKey(ORIGIN, keys.publicKey)).keyId).toBe(verifier.keyId);
  });

  it('signs a checkpoint, verifies it with the log key, and refuses it under any other key or when altered', () => {
    const signed = signCheckpoint(at(20), [signer]);
    expect(signed.note).toMatch(new RegExp(`^${ORIGIN}\\n20\\n\\S{44}\\n\\n\u2014 ${ORIGIN} \\S+\\n$`));
    const opened = openCheckpoint(signed.note, [verifier], ORIGIN);
    expect(opened).toMatchObject({ treeSize: 20, verifiedBy: [ORIGIN] });
    expect(() => openCheckpoint(signed.note, [ed25519Verifier(ORIGIN, other.publicKey)])).toThrow(/no signature by a trusted key/);
    const altered = signed.note.replace('\n20\n', '\n21\n');
    expect(() => openCheckpoint(altered, [verifier])).toThrow(/does not verify/);
    expect(() => openCheckpoint(signed.note, [verifier], 'entente.example/pol')).toThrow(/not the expected/);
  });

  it('keeps a note with several signatures, ignores unknown keys, and finds the text at the last blank line', () => {
    const witness = ed25519Signer('witness.example/pol', other.privateKey);
    const note = signNote('first\n\nsecond\n', [signer, witness]);
    expect(parseNote(note).text).toBe('first\n\nsecond\n');
    expect(openNote(note, [verifier]).verifiedBy).toEqual([ORIGIN]);
    expect(openNote(note, [verifier, ed25519Verifier('witness.example/pol', other.publicKey)]).verifiedBy).toEqual([ORIGIN, 'witness.example/pol']);
  });

  it('refuses malformed notes and checkpoints with a message saying what is wrong', () => {
    expect(() => parseNote('no blank line\n\u2014 a AAAA\n')).toThrow(/no blank line/);
    expect(() => parseNote('text\n\nnot a signature\n')).toThrow(/em dash/);
    expect(() => parseNote('text\n\n\u2014 name !!!\n')).toThrow(/base64/);
    expect(() => parseCheckpointText(`${ORIGIN}\n007\n${toBase64(tree.root())}\n`)).toThrow(/leading zeroes/);
    expect(() => parseCheckpointText(`${ORIGIN}\n7\nAAAA\n`)).toThrow(/base64 of 32 bytes/);
    expect(() => parseCheckpointText(`has space\n7\n${toBase64(tree.root())}\n`)).toThrow(/origin/);
    expect(() => readCheckpointNote(`${ORIGIN}\n7\n${toBase64(tree.root())}\n`)).toThrow(/blank line/);
  });

  it('round-trips any checkpoint through its signed note', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 53 - 1 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (treeSize, rootHash) => {
      const signed = signCheckpoint({ origin: ORIGIN, treeSize, rootHash }, [signer]);
      const back = openCheckpoint(signed.note, [verifier]);
      expect([back.treeSize, toBase64(back.rootHash)]).toEqual([treeSize, toBase64(rootHash)]);
    }), { numRuns: 50 });
  });
});

describe('fork checks', () => {
  const forkedRoot = MemoryTree.of([...Array.from({ length: 19 }, (_, i) => tree.leaf(i)), leafHash(Buffer.from('rewritten'))]).root();

  it('calls two checkpoints of one size with different roots a fork, with both signed notes as evidence', () => {
    const a = signCheckpoint(at(20), [signer]);
    const b = signCheckpoint({ origin: ORIGIN, treeSize: 20, rootHash: forkedRoot }, [signer]);
    const check = compareCheckpoints(a, b);
    expect(check).toEqual({ kind: 'fork', evidence: { origin: ORIGIN, treeSize: 20, rootHashes: [toBase64(tree.root()), toBase64(forkedRoot)], notes: [a.note, b.note] } });
    expect(compareCheckpoints(a, signCheckpoint(at(20), [signer]))).toEqual({ kind: 'consistent' });
  });

  it('accepts checkpoints of different sizes joined by a consistency proof, in either order, and asks for one otherwise', () => {
    const proof = consistencyProof(tree, 7, 20);
    expect(compareCheckpoints(at(7), at(20), proof)).toEqual({ kind: 'consistent' });
    expect(compareCheckpoints(at(20), at(7), proof)).toEqual({ kind: 'consistent' });
    expect(compareCheckpoints(at(7), at(20))).toMatchObject({ kind: 'unproven', reason: expect.stringMatching(/no consistency proof from size 7 to 20/) });
    expect(compareCheckpoints(at(7), { ...at(20), rootHash: forkedRoot }, proof)).toMatchObject({ kind: 'unproven' });
    expect(() => compareCheckpoints(at(7), { ...at(20), origin: 'entente.example/pol' }, proof)).toThrow(/two different logs/);
  });
});
