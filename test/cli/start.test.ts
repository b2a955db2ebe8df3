import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { indicator } from '../support/stix-builders.js';
import { REPO_ROOT, tempDir } from '../support/cli.js';

const PASSWORD = 'start test admin password';
const TAXII = 'application/taxii+json;version=2.1';
const dirs: Array<{ remove(): void }> = [];
afterAll(() => {
  for (const d of dirs) d.remove();
});

interface Running {
  readonly child: ChildProcess;
  readonly base: string;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

/** `entente start` as an operator runs it, on a fresh data dir and a port the system picks. */
async function start(...extra: string[]): Promise<Running> {
  const dir = tempDir('entente-start-');
  dirs.push(dir);
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'entente.js'), 'start', '--data-dir', join(dir.path, 'data'), '--port', '0', ...extra], {
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ENTENTE_ADMIN_PASSWORD: PASSWORD, ENTENTE_LOG_LEVEL: 'warn' },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 30 s:\n${output}`)), 30_000);
    child.stdout?.on('data', () => {
      // The banner's last line: everything above it has been printed.
      const found = /TAXII 2\.1 discovery\s+(http:\/\/[^/]+)\/taxii2\//.exec(output);
      if (found?.[1] !== undefined && output.includes('Ctrl-C stops the node.')) {
        clearTimeout(timer);
        resolve(found[1].replace('localhost', '127.0.0.1'));
      }
    });
    void exited.then((code) => reject(new Error(`entente start exited with ${code}:\n${output}`)));
  });
  return { child, base, output: () => output, exited };
}

/** One request on a connection of its own, so that the requests of a test spread over the serving processes. */
function call(url: string, options: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? 'GET', agent: false,
      headers: { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`, accept: TAXII, ...options.headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

async function intelCollection(base: string): Promise<string> {
  const list = JSON.parse((await call(`${base}/taxii2/default/collections/`)).text) as { collections: Array<{ id: string; alias?: string; can_write: boolean }> };
  const found = list.collections.find((c) => c.can_write);
  if (found === undefined) throw new Error('no writable collection');
  return found.id;
}

const metric = (text: string, name: string): number =>
  text.split('\n').filter((line) => line.startsWith(name)).reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);

describe('entente start', () => {
  it('serves from one process, says where and how to log in, and stops cleanly on SIGTERM', async () => {
    const node = await start();
    expect(node.output()).toContain('user admin');
    expect((await call(`${node.base}/healthz`)).status).toBe(200);
    node.child.kill('SIGTERM');
    expect(await node.exited).toBe(0);
  }, 60_000);

  it('exits with code 2 when its port is taken, instead of staying up without serving', async () => {
    const first = await start();
    const port = new URL(first.base).port;
    const dir = tempDir('entente-start-');
    dirs.push(dir);
    const second = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'entente.js'), 'start', '--data-dir', join(dir.path, 'data'), '--port', port], {
      env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ENTENTE_ADMIN_PASSWORD: PASSWORD, ENTENTE_LOG_LEVEL: 'warn' },
    });
    let output = '';
    second.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        second.kill('SIGKILL');
        resolve(null);
      }, 30_000);
      second.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code, output).toBe(2);
    expect(output).toContain('EADDRINUSE');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  }, 60_000);

  it('serves from several processes with --workers: writes seen by every one, metrics summed, a lost worker replaced', async () => {
    const node = await start('--workers', '2');
    expect(node.output()).toContain('2 serving processes');
    const collection = await intelCollection(node.base);
    const objects = Array.from({ length: 3 }, () => indicator());
    const posted = await call(`${node.base}/taxii2/default/collections/${collection}/objects/`, {
      method: 'POST', body: JSON.stringify({ objects }), headers: { 'content-type': TAXII },
    });
    expect(posted.status, posted.text).toBe(202);
    expect(JSON.parse(posted.text)).toMatchObject({ success_count: 3 });
    // Twenty pages on twenty connections: the primary hands them to both workers in turn.
    const pages = await Promise.all(Array.from({ length: 20 }, () => call(`${node.base}/taxii2/default/collections/${collection}/objects/?limit=10`)));
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect((JSON.parse(page.text) as { objects: Array<{ id: string }> }).objects.map((o) => o.id)).toEqual(expect.arrayContaining(objects.map((o) => o['id'])));
    }
    // Whichever process answers /metrics, it reports every process's pages.
    for (let i = 0; i < 4; i += 1) {
      const metrics = (await call(`${node.base}/metrics`)).text;
      expect(metric(metrics, 'entente_taxii_pages_served_total')).toBe(20);
      expect(metric(metrics, 'entente_store_objects ')).toBe(3);
    }

    // A worker killed outright is replaced, and the node keeps serving.
    const pids = await new Promise<number[]>((resolve) => {
      const pgrep = spawn('pgrep', ['-P', String(node.child.pid)]);
      let text = '';
      pgrep.stdout.on('data', (d: Buffer) => (text += d.toString()));
      pgrep.on('close', () => resolve(text.trim().split(/\s+/).filter((s) => s !== '').map(Number)));
    });
    expect(pids).toHaveLength(2);
    process.kill(pids[0] as number, 'SIGKILL');
    await expect.poll(() => node.output(), { timeout: 20_000 }).toContain('starting another');
    await expect.poll(async () => (await call(`${node.base}/healthz`).catch(() => ({ status: 0 }))).status, { timeout: 20_000 }).toBe(200);
    for (let i = 0; i < 6; i += 1) expect((await call(`${node.base}/taxii2/default/collections/${collection}/objects/?limit=1`)).status).toBe(200);

    node.child.kill('SIGTERM');
    expect(await node.exited).toBe(0);
  }, 90_000);
});
