/**
 * Writes the sample intelligence of the coalition example into `intel/`, one STIX 2.1 bundle per
 * file, from `intel-objects.ts` and the directory in `organisations.yaml`. Run it after changing
 * either; the output is committed, and a test checks that it is what this script produces.
 *
 *   npx tsx examples/coalition/generate-intel.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_DIR, readDirectory } from './example-files.js';
import { buildCoalitionIntel, serialiseBundle } from './intel-builder.js';

mkdirSync(join(EXAMPLE_DIR, 'intel'), { recursive: true });
for (const { file, bundle } of buildCoalitionIntel(readDirectory())) {
  writeFileSync(join(EXAMPLE_DIR, 'intel', file), serialiseBundle(bundle));
  console.log(`intel/${file}: ${bundle.objects?.length ?? 0} objects`);
}
