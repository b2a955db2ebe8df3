/**
 * JSON schemas shared by the REST routes. Declared once here and on each route, they drive both
 * request validation and the OpenAPI document, so the two cannot drift apart.
 */

export const errorSchema = {
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
          items: {
            type: 'object',
            required: ['message'],
            properties: { path: { type: 'string', example: '$.objects[3].created' }, message: { type: 'string' }, code: { type: 'string' } },
          },
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

/** The standard error answers of an authenticated route. */
export function errorResponses(...statuses: ReadonlyArray<number>): Record<number, typeof errorSchema> {
  return Object.fromEntries([400, 401, ...statuses].map((s) => [s, errorSchema]));
}

export const PAGE_LIMIT_MAX = 10_000;

export const pageQueryProperties = {
  limit: { type: 'integer', minimum: 1, maximum: PAGE_LIMIT_MAX, description: 'Page size; the server may clamp it' },
  cursor: { type: 'string', maxLength: 512, description: 'The `next` value of the previous page' },
} as const;
