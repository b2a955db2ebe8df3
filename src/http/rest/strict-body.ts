import type { FastifyRequest } from 'fastify';
import { EntenteError } from '../../core/errors.js';

interface ObjectSchema {
  readonly type?: string;
  readonly properties?: Record<string, unknown>;
  readonly additionalProperties?: unknown;
}

/**
 * Refuses body properties a route does not know. Fastify's validator is configured app-wide to
 * strip them silently (`removeAdditional`), so a typo such as `{"disable": true}` would be
 * dropped and the request succeed without doing what was meant. REST bodies are flat objects,
 * so checking the top level against the route's `additionalProperties: false` schema suffices.
 */
export async function rejectUnknownBodyProperties(request: FastifyRequest): Promise<void> {
  const schema = request.routeOptions.schema?.body as ObjectSchema | undefined;
  const body = request.body;
  if (schema?.additionalProperties !== false || schema.properties === undefined) return;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const known = schema.properties;
  const unknown = Object.keys(body).filter((key) => !Object.hasOwn(known, key));
  if (unknown.length === 0) return;
  throw new EntenteError(
    'ENTENTE_BAD_REQUEST',
    `The body has ${unknown.length === 1 ? 'a property' : 'properties'} this route does not know: ${unknown.join(', ')}; known: ${Object.keys(known).join(', ')}`,
    unknown.map((key) => ({ path: /^[A-Za-z_$][\w$]*$/.test(key) ? `$.${key}` : `$[${JSON.stringify(key)}]`, message: 'is not a known property' })),
  );
}
