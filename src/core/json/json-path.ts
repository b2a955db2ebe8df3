/**
 * JSON paths as Entente prints them in errors: `$`, `$.objects[3].kill_chain_phases[0]`, and
 * bracket notation for keys that are not plain identifiers (`$['x-weird key']`).
 */

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const SUFFIXES = new Map<string, string>();
const MAX_CACHED = 4096;

/** The path of property `key` of the value at `path`. */
export function pathKey(path: string, key: string): string {
  let suffix = SUFFIXES.get(key);
  if (suffix === undefined) {
    suffix = PLAIN_KEY.test(key) ? `.${key}` : `[${JSON.stringify(key).replace(/^"|"$/g, "'")}]`;
    // Keys come from untrusted documents: cache only a bounded number (the STIX names, in practice).
    if (SUFFIXES.size < MAX_CACHED) SUFFIXES.set(key, suffix);
  }
  return path + suffix;
}

/** The path of element `index` of the array at `path`. */
export function pathIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}
