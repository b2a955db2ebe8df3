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
});
