import type { FastifyPluginAsync } from 'fastify';
import { parseJson } from '../../core/json/parse-json.js';
import { JSON_BODY_TYPES } from './media-type.js';

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
        done(null, parseJson(body as string, { maxDepth: options.maxDepth, source: 'the request body' }));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
  };
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}
