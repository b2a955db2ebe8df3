/**
 * Two `entente detect serve` workers on one NATS JetStream stream: each telemetry batch is
 * handled by exactly one of them, all are handled, and an indicator ingested into the node (or
 * revoked) reaches both through the change feed without a restart.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NATS_SKIP_NOTE, TEST_NATS_URL, testStream } from '../../src/adapters/nats/test-support.js';
import { openNatsBus } from '../../src/adapters/nats/nats-bus.js';
import { eventually } from '../../src/ports/bus.contract.js';
import { bundle, indicator } from '../support/stix-builders.js';
import { REPO_ROOT, runCli, tempDir } from '../support/cli.js';

if (TEST_NATS_URL === undefined) console.warn(NATS_SKIP_NOTE);

interface Worker {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: string;
  stderr: string;
}

interface MatchLine { indicator: string; source: string; line: number; message: number }

describe.skipIf(TEST_NATS_URL === undefined)('entente detect serve on NATS JetStream', () => {
  const dir = tempDir('entente-bus-');
  const stream = testStream();
  const env = { ENTENTE_BUS_URL: TEST_NATS_URL as string, ENTENTE_BUS_STREAM: stream, ENTENTE_ADMIN_PASSWORD: 'bus-test-password-4711' };
  const data = join(dir.path, 'data');
  const ip = indicator({ pattern: "[ipv4-addr:value = '203.0.114.7']", object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'] });
  const domain = indicator({ pattern: "[domain-name:value = 'late.example']", object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'] });
  const workers: Worker[] = [];

  const dns = (dest: string, name: string, n: number): string =>
    JSON.stringify({ timestamp: '2026-01-01T00:00:00.000000+0000', event_type: 'dns', src_ip: '10.0.0.1', src_port: 1000 + n, dest_ip: dest, dest_port: 53, proto: 'UDP', dns: { type: 'query', rrname: name, rrtype: 'A' } });
  const matches = (w: Worker): MatchLine[] =>
    existsSync(w.output) ? readFileSync(w.output, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as MatchLine) : [];
  const all = (): MatchLine[] => workers.flatMap(matches);
  const cli = async (args: string[], input?: string): Promise<void> => {
    const result = await runCli([...args, '--data-dir', data], { env, ...(input === undefined ? {} : { input }) });
    expect(result.code, result.stderr).toBe(0);
  };
  const publish = async (name: string, lines: ReadonlyArray<string>, batchLines: number): Promise<void> => {
    const file = join(dir.path, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    await cli(['detect', 'publish', file, '--format', 'suricata', '--batch-lines', String(batchLines)]);
  };

  const serve = (name: string): Worker => {
    const output = join(dir.path, `${name}.ndjson`);
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'entente.js'), 'detect', 'serve', '--data-dir', data, '--output', output], {
      cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env },
    });
    const worker: Worker = { child, output, stderr: '' };
    child.stderr.on('data', (d: Buffer) => (worker.stderr += d.toString()));
    workers.push(worker);
    return worker;
  };

  beforeAll(async () => {
    await cli(['init']);
    await cli(['import', '-'], JSON.stringify(bundle([ip])));
    const one = serve('one');
    const two = serve('two');
    await eventually(() => one.stderr.includes('ready: 1 indicators') && two.stderr.includes('ready: 1 indicators'), `both workers ready (${one.stderr} | ${two.stderr} | exit ${String(one.child.exitCode)})`, 30_000);
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => new Promise<void>((resolve) => {
      if (w.child.exitCode !== null) { resolve(); return; }
      w.child.once('close', () => resolve());
      w.child.kill('SIGTERM');
    })));
    const bus = await openNatsBus({ url: TEST_NATS_URL as string, stream });
    await bus.deleteStream();
    await bus.close();
    dir.remove();
  });

  it('shares the batches between the workers, each handled by one, all handled', async () => {
    const lines = Array.from({ length: 120 }, (_, n) => dns('203.0.114.7', `host${n}.example`, n));
    await publish('shared.json', lines, 3);
    await eventually(() => all().length >= 120, 'a match for every line', 20_000);
    await new Promise((r) => setTimeout(r, 300));
    const found = all().filter((m) => m.source.endsWith('shared.json'));
    expect(found.map((m) => m.line).sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, n) => n + 1));
    expect(found.every((m) => m.indicator === ip['id'])).toBe(true);
    const [one, two] = workers as [Worker, Worker];
    expect(matches(one).length).toBeGreaterThan(0);
    expect(matches(two).length).toBeGreaterThan(0);
  });

  it('matches an indicator ingested after the workers started, and stops when it is revoked', async () => {
    await cli(['import', '-'], JSON.stringify(bundle([domain])));
    await eventually(() => workers.every((w) => w.stderr.includes(`index: added ${String(domain['id'])}`)), 'both workers took the new indicator', 15_000);
    await publish('late.json', [dns('192.0.2.1', 'late.example', 1)], 10);
    await eventually(() => all().some((m) => m.indicator === domain['id']), 'a match for the new indicator', 15_000);

    const revoked = { ...domain, modified: '2026-05-01T00:00:00.000Z', revoked: true };
    await cli(['import', '-'], JSON.stringify(bundle([revoked])));
    await eventually(() => workers.every((w) => w.stderr.includes(`index: removed ${String(domain['id'])} (revoked)`)), 'both workers dropped it', 15_000);
    await publish('after.json', [dns('192.0.2.1', 'late.example', 2)], 10);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(all().filter((m) => m.source.endsWith('after.json'))).toEqual([]);
    expect(all().filter((m) => m.indicator === domain['id'])).toHaveLength(1);
  });
});
