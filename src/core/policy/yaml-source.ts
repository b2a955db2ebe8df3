/**
 * A YAML document read for validation: its plain value, and the line and column of any path in
 * it, so that an error in an agreement names the place its author has to fix.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { EntenteError } from '../errors.js';

export type PathStep = string | number;

export interface YamlSource {
  readonly value: unknown;
  /** `line:column` (1-based) of the value at `path`, or of its key when `key` is true. */
  where(path: ReadonlyArray<PathStep>, key?: boolean): string | undefined;
}

/** Parses YAML text; a syntax error is ENTENTE_AGREEMENT_INVALID with its line and column. */
export function readYaml(text: string, what: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = lines.linePos(first.pos[0]);
    throw new EntenteError('ENTENTE_AGREEMENT_INVALID', `${what} is not valid YAML at line ${pos.line}, column ${pos.col}: ${first.message.split('\n')[0] ?? ''}`, [
      { path: '$', message: `line ${pos.line}, column ${pos.col}: ${first.message.split('\n')[0] ?? ''}` },
    ]);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  return {
    value,
    where(path, key = false) {
      let node: unknown = doc.contents;
      let keyNode: unknown;
      for (const step of path) {
        keyNode = undefined;
        if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
          if (pair === undefined) return undefined;
          keyNode = pair.key;
          node = pair.value;
        } else if (isSeq(node) && typeof step === 'number') {
          node = node.items[step];
        } else {
          return undefined;
        }
      }
      const target = (key && keyNode !== undefined ? keyNode : node) as Node | null | undefined;
      const offset = target?.range?.[0];
      if (offset === undefined) return undefined;
      const pos = lines.linePos(offset);
      return `${pos.line}:${pos.col}`;
    },
  };
}

/** Prints a path the way error details show it: `$.ceilings.POL.tlp`, `$.redact[1]`. */
export function printPath(path: ReadonlyArray<PathStep>): string {
  return path.reduce<string>((out, step) => (typeof step === 'number' ? `${out}[${step}]` : /^[A-Za-z_][\w-]*$/.test(step) ? `${out}.${step}` : `${out}[${JSON.stringify(step)}]`), '$');
}
