import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { runCli } from '../support/cli.js';

function walk(command: Command, path: string[] = []): Array<{ path: string[]; command: Command }> {
  return command.commands.flatMap((sub) => [{ path: [...path, sub.name()], command: sub }, ...walk(sub, [...path, sub.name()])]);
}

describe('entente --help', () => {
  const commands = walk(buildProgram());

  it('describes every command and sub-command', () => {
    expect(commands.length).toBeGreaterThan(20);
    for (const { path, command } of commands) expect(command.description(), path.join(' ')).not.toBe('');
  });

  it('prints usage for a nested command through the binary and exits 0', async () => {
    const result = await runCli(['collections', 'grant', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: entente collections grant');
    expect(result.stdout).toContain('--write');
  });

  it('exits 2 with a hint on an unknown command', async () => {
    const result = await runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command/);
  });
});
