/**
 * JSON paths as Entente prints them in errors: `$`, `$.objects[3].kill_chain_phases[0]`, and
 * bracket notation for keys that are not plain identifiers (`$['x-weird key']`).
 */

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The path of property `key` of the value at `path`. */
export function pathKey(path: string, key: string): string {
  return PLAIN_KEY.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key).replace(/^"|"$/g, "'")}]`;
}

/** The path of element `index` of the array at `path`. */
export function pathIndex(path: string, index: number): string {
  return `${path}[${index}]`;
}
