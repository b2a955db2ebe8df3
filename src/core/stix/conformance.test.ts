import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateBundle, validateObject } from './index.js';

const ROOT = fileURLToPath(new URL('../../../../shared/oasis-stix21', import.meta.url));
const present = existsSync(ROOT);
if (!present) console.warn(`Skipping the OASIS conformance tests: ${ROOT} is absent`);

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.json') ? [path] : [];
  });
}

describe.skipIf(!present)('OASIS STIX 2.1 examples', () => {
  const files = present ? [...walk(join(ROOT, 'examples')), ...walk(join(ROOT, 'interop'))] : [];
  const documents = files.map((file) => ({ file: file.slice(ROOT.length + 1), value: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> }));
  // interop/ holds JSON Schemas of the interoperability profile, not STIX content.
  const stix = documents.filter((d) => d.value['$schema'] === undefined);
  const schemas = documents.filter((d) => d.value['$schema'] !== undefined);

  it('finds the example bundles and the interop profile schemas', () => {
    expect(stix.length).toBeGreaterThanOrEqual(8);
    expect(schemas.length).toBeGreaterThanOrEqual(20);
  });

  it.each(stix.map((d) => [d.file, d.value] as const))('%s validates without error', (_file, value) => {
    const result = value['type'] === 'bundle' ? validateBundle(value) : validateObject(value);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('validates every object inside the example bundles (several hundred)', () => {
    const objects = stix.flatMap((d) => (Array.isArray(d.value['objects']) ? d.value['objects'] : [d.value]));
    expect(objects.length).toBeGreaterThan(200);
    expect(objects.filter((o) => !validateObject(o).valid)).toEqual([]);
  });
});
