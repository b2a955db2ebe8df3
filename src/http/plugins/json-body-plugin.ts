import type { FastifyPluginAsync } from 'fastify';
import { EntenteError } from '../../core/errors.js';
import { parseJson } from '../../core/json/parse-json.js';
import { JSON_BODY_TYPES } from './media-type.js';

/**
 * The JSON path of the first `__proto__` key, or of a `constructor` key holding `prototype`, in
 * a parsed value; undefined when there is none. JSON.parse makes such keys own properties, which
 * is harmless until a merge with `Object.assign` or a deep-merge helper turns them into prototype
 * pollution: they are refused at the door, as Fastify's own parser does. Iterative: the depth is
 * already bounded, but no recursion is needed.
 */
export function findPrototypeKey(root: unknown): string | undefined {
  const stack: Array<{ readonly value: unknown; readonly path: string }> = [{ value: root, path: '$' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: string };
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]` }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (key === '__proto__') return `${path}.__proto__`;
      if (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) return `${path}.constructor.prototype`;
      stack.push({ value: child, path: /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]` });
    }
  }
  return undefined;
}

/**
 * Replaces Fastify's JSON parser for every JSON media type (plain, TAXII, STIX) by `parseJson`,
 * which locates syntax errors (line, column) and refuses nesting deeper than `maxDepth` before
 * any recursive code sees the value. Fastify's `bodyLimit` enforces the size before parsing.
 */
export function jsonBodyPlugin(options: { readonly maxDepth: number }): FastifyPluginAsync {
  const plugin: FastifyPluginAsync = async (app) => {
    app.removeContentTypeParser(['application/json']);
    app.addContentTypeParser([...JSON_BODY_TYPES], { parseAs: 'string' }, (_request, body, done) => {
      try {
        const text = body as string;
        const value = parseJson(text, { maxDepth: options.maxDepth, source: 'the request body' });
        // Only a body whose text could spell such a key (directly or through \u escapes) is walked.
        const path = text.includes('proto') || text.includes('\\u') ? findPrototypeKey(value) : undefined;
        if (path !== undefined) {
          throw new EntenteError('ENTENTE_BAD_REQUEST', `The body has a forbidden key at ${path} (prototype pollution)`, [{ path, message: 'forbidden key' }]);
        }
        done(null, value);
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  };
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}
