import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startNode, TAXII, type TestNode } from './node-harness.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!hasOpenssl) console.warn('skipping the HTTPS test: openssl is not installed to make a self-signed certificate');

describe.skipIf(!hasOpenssl)('TAXII over HTTPS', () => {
  let dir: string;
  let node: TestNode;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'entente-tls-'));
    const made = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]);
    if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
    node = await startNode({ https: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } });
    await node.app.listen({ host: '127.0.0.1', port: 0 });
    const address = node.app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });

  afterAll(async () => {
    await node?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves discovery over TLS with the configured certificate', async () => {
    const ca = readFileSync(join(dir, 'cert.pem'));
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/taxii2/', ca, servername: 'localhost', headers: { authorization: basic('alice'), accept: TAXII } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    expect(JSON.parse(body).api_roots).toEqual([`https://127.0.0.1:${port}/taxii2/default/`]);
  });
});
