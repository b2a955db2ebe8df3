/**
 * Reads the files of the coalition example as the node would: the directory, the node
 * configurations, the agreements' YAML and the intelligence bundles. Used by the generator and
 * by the tests that check the example's expected outcomes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { OrganisationKind } from '../../src/core/labels/types.js';
import type { Organisation } from '../../src/core/policy/types.js';

/** The directory of the example on disk. */
export const EXAMPLE_DIR = fileURLToPath(new URL('.', import.meta.url));

interface DirectoryFile {
  readonly organisations: ReadonlyArray<{
    readonly code: string; readonly name: string; readonly kind: string; readonly country: string; readonly id: string;
    readonly memberships?: ReadonlyArray<string>; readonly sectors?: ReadonlyArray<string>;
  }>;
}

/** `organisations.yaml` as organisations (optional lists default to empty, as on import). */
export function readDirectory(): ReadonlyArray<Organisation> {
  const file = parse(readFileSync(join(EXAMPLE_DIR, 'organisations.yaml'), 'utf8')) as DirectoryFile;
  return file.organisations.map((o) => ({
    id: o.id, code: o.code, name: o.name, kind: o.kind as OrganisationKind, country: o.country,
    memberships: [...(o.memberships ?? [])], sectors: [...(o.sectors ?? [])],
  }));
}

/** The YAML files of a subdirectory (`agreements`, `nodes`) by file name, in name order. */
export function readYamlTexts(subdirectory: string): ReadonlyArray<{ readonly file: string; readonly text: string }> {
  const dir = join(EXAMPLE_DIR, subdirectory);
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
}

/** The committed bundles under `intel/`, by file name, in name order. */
export function readBundles(): ReadonlyArray<{ readonly file: string; readonly text: string; readonly bundle: Record<string, unknown> }> {
  const dir = join(EXAMPLE_DIR, 'intel');
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    return { file, text, bundle: JSON.parse(text) as Record<string, unknown> };
  });
}
