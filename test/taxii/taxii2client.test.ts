import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicator, PASSWORDS, startNode, type TestNode } from './node-harness.js';

const hasClient = spawnSync('python3', ['-c', 'import taxii2client']).status === 0;
if (!hasClient) console.warn('skipping the taxii2-client test: python3 cannot import taxii2client (pip install taxii2-client to run it)');

// The OASIS client drives a listening server: discovery, collections, add, poll status, page.
const SCRIPT = `
import json, sys
from taxii2client.v21 import Server, Collection, as_pages
url, user, password, objects = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
server = Server(url, user=user, password=password)
root = server.default
collection = [c for c in root.collections if c.alias == 'shared-intel'][0]
status = collection.add_objects({"objects": objects})
seen = []
for envelope in as_pages(collection.get_objects, per_request=3):
    seen.extend(o["id"] for o in envelope.get("objects", []))
manifest = collection.get_manifest()
print(json.dumps({"title": server.title, "can_write": collection.can_write, "status": status.status,
    "success_count": status.success_count, "seen": sorted(seen), "manifest": len(manifest.get("objects", []))}))
`;

describe.skipIf(!hasClient)('the OASIS taxii2-client against a listening server', () => {
  let node: TestNode;
  let port = 0;
  beforeAll(async () => {
    node = await startNode();
    await node.app.listen({ host: '127.0.0.1', port: 0 });
    const address = node.app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(async () => node?.close());

  it('discovers, posts, and pages through every object', async () => {
    const objects = Array.from({ length: 7 }, () => indicator());
    const args = ['-c', SCRIPT, `http://127.0.0.1:${port}/taxii2/`, 'alice', PASSWORDS.alice, JSON.stringify(objects)];
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('python3', args);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`python3 exited ${code}: ${stderr}`))));
    });
    const result = JSON.parse(out);
    expect(result).toMatchObject({ title: 'Entente test node', can_write: true, status: 'complete', success_count: 7, manifest: 7 });
    expect(result.seen).toEqual(objects.map((o) => o['id']).sort());
  });
});
