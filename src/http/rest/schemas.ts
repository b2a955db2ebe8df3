/**
 * JSON schemas shared by the REST routes. Declared once here and on each route, they drive both
 * request validation and the OpenAPI document, so the two cannot drift apart.
 */

/** One problem, located by its JSON path: in error bodies and in import job failures alike. */
export const errorDetailSchema = {
  type: 'object',
  required: ['message'],
  properties: { path: { type: 'string', example: '$.objects[3].created' }, message: { type: 'string' }, code: { type: 'string' } },
} as const;

export const errorSchema = {
  $id: 'RestError',
  type: 'object',
  description: 'Every REST error: a stable code from the error catalogue (docs/errors.md), a message, and where the problem is',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: {
        code: { type: 'string', example: 'ENTENTE_INVALID_PARAMETER' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: errorDetailSchema,
        },
      },
    },
  },
} as const;

/** A STIX object as stored: any property may appear, so none is dropped on output. */
export const stixObjectSchema = {
  type: 'object',
  description: 'A STIX 2.1 object, property for property as it was ingested',
  required: ['type', 'id'],
  properties: { type: { type: 'string' }, id: { type: 'string' } },
  additionalProperties: true,
} as const;

export const STIX_ID_PATTERN = '^[a-z0-9][a-z0-9-]*[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** An RFC 3339 timestamp in UTC as STIX writes them (section 3.2 of STIX 2.1). */
export const STIX_TIMESTAMP_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$';

export const stixIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: STIX_ID_PATTERN, description: 'A STIX identifier, `type--UUID`' } },
} as const;

/** The id under which the REST plugin registers {@link errorSchema}; the document lists it once, under components. */
export const ERROR_SCHEMA_ID = 'RestError';

const ERROR_MEANINGS: Readonly<Record<number, string>> = {
  400: 'Invalid input: `details` gives the JSON path or parameter of each problem',
  401: 'No credentials, or credentials that do not hold',
  403: 'The caller may not do this',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with an existing resource',
  413: 'The body exceeds the maximum content length',
  415: 'The body is not JSON',
  501: 'This node cannot do this yet',
};

/** The error answers of an authenticated route (400 and 401 always, then the given statuses). */
export function errorResponses(...statuses: ReadonlyArray<number>): Record<number, { readonly description: string; readonly $ref: string }> {
  return Object.fromEntries([400, 401, ...statuses].map((s) => [s, { description: ERROR_MEANINGS[s] ?? 'Error', $ref: `${ERROR_SCHEMA_ID}#` }]));
}

export const PAGE_LIMIT_MAX = 10_000;

export const pageQueryProperties = {
  limit: { type: 'integer', minimum: 1, maximum: PAGE_LIMIT_MAX, description: 'Page size; the server may clamp it' },
  cursor: { type: 'string', maxLength: 512, description: 'The `next` value of the previous page' },
} as const;
