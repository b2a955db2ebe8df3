import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DOCS = fileURLToPath(new URL('../../../docs/stix.md', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('rule codes', () => {
  const text = sources(HERE).map((f) => readFileSync(f, 'utf8')).join('\n');
  const codes = new Set([
    ...[...text.matchAll(/\.(?:error|warn)\('([a-z0-9-]+)'/g)].map((m) => m[1] as string),
    ...[...text.matchAll(/code(?: \?\?|:) '([a-z0-9-]+)'/g)].map((m) => m[1] as string),
  ]);

  it('are found in the validator sources', () => {
    expect(codes.size).toBeGreaterThan(40);
  });

  it('are each documented in docs/stix.md', () => {
    const docs = readFileSync(DOCS, 'utf8');
    expect([...codes].filter((code) => !docs.includes(`\`${code}\``))).toEqual([]);
  });
});
