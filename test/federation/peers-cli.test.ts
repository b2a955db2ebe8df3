import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';

const dir = tempDir('entente-peers-cli-');
const env = { ENTENTE_ADMIN_PASSWORD: 'peers admin password', ENTENTE_ORGANISATION: 'DEU', ENTENTE_COUNTRY: 'DEU' };
const cli = (...args: string[]) => runCli([...args, '--data-dir', dir.path], { env });
afterAll(() => dir.remove());

describe('entente peers', () => {
  it('lists no peer on a new node, and refuses a link to a peer whose keys are not pinned, saying what to do', async () => {
    expect((await cli('init')).code).toBe(0);
    expect((await cli('peers', 'list')).stdout).toMatch(/no peer linked/);
    expect((await cli('orgs', 'add', 'POL', '--name', 'CERT Polska', '--kind', 'nation', '--country', 'POL')).code).toBe(0);
    const add = await cli('peers', 'add', 'POL', '--url', 'http://127.0.0.1:9', '--token', 'ent_x_y');
    expect(add.code).toBe(2);
    expect(add.stderr).toMatch(/no keys are pinned for POL: pin them first \(entente keys pin POL FILE\)/);
    const push = await cli('peers', 'push', 'POL');
    expect(push.code).toBe(2);
    expect(push.stderr).toMatch(/ENTENTE_PEER_NOT_LINKED/);
  }, 60_000);

  it('makes the node\'s keys at init, records them as the first facts of its ledger, and signs checkpoints', async () => {
    const first = JSON.parse((await cli('ledger', 'prove', '0', '--json')).stdout) as { entry: { kind: string; event: string; owner: string } };
    expect(first.entry).toMatchObject({ kind: 'key-event', event: 'created', owner: 'DEU' });
    const signed = await cli('ledger', 'checkpoint');
    expect(signed.code).toBe(0);
    expect(signed.stdout).toMatch(/^signed checkpoint of \d+ entries/);
    expect(signed.stdout).toMatch(/^entente\/DEU$/m);
    expect((await cli('keys', 'rotate', '--overlap-days', '1')).code).toBe(0);
    const size = JSON.parse((await cli('ledger', 'checkpoint', '--json')).stdout) as { treeSize: number };
    const last = JSON.parse((await cli('ledger', 'prove', String(size.treeSize - 1), '--json')).stdout) as { entry: { kind: string; event: string } };
    expect(last.entry).toMatchObject({ kind: 'key-event', event: 'rotated' });
  }, 60_000);
});
