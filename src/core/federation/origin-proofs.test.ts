import { describe, expect, it } from 'vitest';
import { batchTree, checkObjectInBatch, objectLeaf, ORIGIN_BATCH_TYPE, proofVersionOf, readBatch, readOriginProof, type OriginBatch } from './origin-proofs.js';

const object = (i: number) => ({ type: 'indicator', id: `indicator--0c000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, modified: '2026-11-01T00:00:00.000Z', name: `n${i}` });
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('origin proofs', () => {
  it('proves every object of a batch of any size under its root, and no altered object', () => {
    for (const size of [1, 2, 3, 5, 8, 13]) {
      const objects = Array.from({ length: size }, (_, i) => object(i));
      const tree = batchTree(objects.map(objectLeaf));
      const batch: OriginBatch = { origin: 'FRA', root: Buffer.from(tree.root).toString('base64url'), size, created: '2026-11-01T00:00:00.000Z' };
      objects.forEach((o, index) => {
        const proof = { id: o.id, version: o.modified, origin: 'FRA', batch: 'x.y.z', index, path: tree.pathOf(index) };
        expect(checkObjectInBatch(proof, batch, o).holds).toBe(true);
        expect(checkObjectInBatch(proof, batch, { ...o, name: 'altered' }).holds).toBe(false);
        expect(checkObjectInBatch({ ...proof, origin: 'DEU' }, batch, o).holds).toBe(false);
      });
    }
  });

  it('proves an object that is not versioned (an SCO) under the epoch as its version', () => {
    const ip = { type: 'ipv4-addr', id: 'ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd', value: '198.51.100.3' };
    const tree = batchTree([objectLeaf(ip)]);
    const batch: OriginBatch = { origin: 'FRA', root: Buffer.from(tree.root).toString('base64url'), size: 1, created: '2026-11-01T00:00:00.000Z' };
    const proof = readOriginProof({ id: ip.id, version: proofVersionOf(ip), origin: 'FRA', batch: 'x.y.z', index: 0, path: tree.pathOf(0) }, '$.proofs[0]');
    expect(checkObjectInBatch(proof, batch, ip).holds).toBe(true);
  });

  it('reads a batch only with EdDSA, its type, a key id and one origin in header and payload', () => {
    const head = { alg: 'EdDSA', typ: ORIGIN_BATCH_TYPE, kid: 'k1', origin: 'FRA' };
    const body = { origin: 'FRA', root: Buffer.alloc(32).toString('base64url'), size: 2, created: '2026-11-01T00:00:00.000Z' };
    expect(readBatch(`${b64(head)}.${b64(body)}.c2ln`).body).toEqual(body);
    expect(() => readBatch(`${b64({ ...head, alg: 'none' })}.${b64(body)}.c2ln`)).toThrow(/\$\.batch\.protected\.alg/);
    expect(() => readBatch(`${b64(head)}.${b64({ ...body, origin: 'DEU' })}.c2ln`)).toThrow(/\$\.batch\.payload\.origin/);
    expect(() => readBatch('not a jws')).toThrow(/compact JWS/);
  });

  it('names the member of a malformed proof', () => {
    expect(() => readOriginProof({ id: 'x', version: 'v', origin: 'FRA', batch: 'a.b.c', index: -1, path: [] }, '$.proofs[3]')).toThrow(/\$\.proofs\[3\]\.index/);
    expect(() => readOriginProof({ id: 'x', version: 'v', origin: 'FRA', batch: 'a.b.c', index: 0, path: ['short'] }, '$.proofs[0]')).toThrow(/\$\.proofs\[0\]\.path/);
  });
});
