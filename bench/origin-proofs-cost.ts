/**
 * CPU cost of origin proofs per object, apart from the rest of federation: the origin signing
 * one batch over N objects (leaf hashes, tree, audit paths, one Ed25519 signature), and a
 * receiver checking them (one signature per batch, a leaf hash and an audit path per object).
 * CPU time from process.cpuUsage(), so the figures hold on a loaded machine; median of --runs.
 *
 *   npx tsx bench/origin-proofs-cost.ts [--objects 5000] [--runs 7]
 */
import { generateKeyPairSync } from 'node:crypto';
import { parseArgs } from 'node:util';
import { calculateJwkThumbprint } from 'jose';
import type { Clock } from '../src/ports/clock.js';
import type { Jwk, KeyRing, PeerKeyDirectory } from '../src/ports/key-ring.js';
import type { OriginProofStore } from '../src/ports/origin-proof-store.js';
import { OriginProofService } from '../src/services/federation/origin-proof-service.js';
import { median } from './lib/run-stats.js';

const { values: args } = parseArgs({ options: { objects: { type: 'string', default: '5000' }, runs: { type: 'string', default: '7' } } });
const N = Number(args.objects);
const RUNS = Number(args.runs);

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const pub = publicKey.export({ format: 'jwk' }) as Jwk;
const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: pub.x ?? '' });
const signing: Jwk = { ...pub, kid, use: 'sig', alg: 'EdDSA' };
const ring = {
  signingKey: async () => ({ kid, privateJwk: { ...(privateKey.export({ format: 'jwk' }) as Jwk), kid } }),
  publicKeySet: async () => ({ keys: [signing] }),
} as unknown as KeyRing;
const peers = { get: async (code: string) => (code === 'FRA' ? { organisation: 'FRA', signing: [signing], encryption: [], pinnedAt: '' } : undefined) } as unknown as PeerKeyDirectory;
const store = { putOriginProofs: async () => {}, getOriginProofs: async () => [] } as OriginProofStore;
const clock = { now: () => Date.now() } as unknown as Clock;
const origin = new OriginProofService({ organisation: 'FRA', keys: ring, peers, clock, store });
const receiver = new OriginProofService({ organisation: 'POL', keys: ring, peers, clock, store });

const objects = Array.from({ length: N }, (_, i) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--be000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, created: '2026-11-25T00:00:00.000Z',
  modified: '2026-11-25T00:00:00.000Z', name: `benchmark indicator ${i}`, pattern: `[domain-name:value = 'c2-${i}.example.net']`,
  pattern_type: 'stix', valid_from: '2026-11-25T00:00:00.000Z', object_marking_refs: ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82'], created_by_ref: 'identity--fra',
}));
const fra = () => 'FRA';
const cpu = async (work: () => Promise<unknown>): Promise<number> => {
  const start = process.cpuUsage();
  await work();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / N;
};

const attest: number[] = [];
const check: number[] = [];
let size = 0;
for (let r = 0; r < RUNS; r++) {
  let proofs: Awaited<ReturnType<OriginProofService['attest']>> = [];
  attest.push(await cpu(async () => { proofs = await origin.attest(objects); }));
  size = JSON.stringify(proofs).length / N;
  check.push(await cpu(async () => {
    const results = await receiver.check('DEU', objects, proofs, fra);
    if (!results.every((x) => x.ok)) throw new Error('a proof did not hold');
  }));
}
console.log(`Origin proofs, ${N} objects per batch, median of ${RUNS} runs, Node ${process.version}`);
console.log('| measure | CPU per object |');
console.log('| --- | --- |');
console.log(`| origin: sign a batch and make each object's proof | ${median(attest).toFixed(1)} µs |`);
console.log(`| receiver: verify the batch and each object's proof | ${median(check).toFixed(1)} µs |`);
console.log(`| proof size in the envelope | ${size.toFixed(0)} bytes |`);
