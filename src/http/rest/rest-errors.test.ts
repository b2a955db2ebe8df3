import type { FastifyError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { EntenteError } from '../../core/errors.js';
import { handleRestError, pathOf, restErrorBody, toRestError } from './rest-errors.js';

function validationError(context: string, validation: ReadonlyArray<Record<string, unknown>>): FastifyError {
  return Object.assign(new Error('validation failed'), { code: 'FST_ERR_VALIDATION', statusCode: 400, validation, validationContext: context }) as unknown as FastifyError;
}

describe('pathOf', () => {
  it('turns a body JSON pointer into a JSON path', () => {
    expect(pathOf('body', '/objects/3/kill_chain_phases/0/phase_name')).toBe('$.objects[3].kill_chain_phases[0].phase_name');
    expect(pathOf('body', '')).toBe('$');
    expect(pathOf('body', '/a~1b/x y')).toBe('$["a/b"]["x y"]');
  });

  it('appends the missing property of a required error', () => {
    expect(pathOf('body', '', 'objects')).toBe('$.objects');
  });

  it('names a query or path parameter by itself', () => {
    expect(pathOf('querystring', '/limit')).toBe('limit');
    expect(pathOf('querystring', '', 'q')).toBe('q');
    expect(pathOf('params', '/id')).toBe('id');
  });
});

describe('handleRestError', () => {
  it('answers a server-side error with its catalogue message only, never the driver text', () => {
    let sent: unknown;
    const reply = { header: () => reply, code: () => reply, type: () => reply, send: (body: unknown) => { sent = body; return reply; } };
    const request = { log: { error: () => undefined } };
    const error = new EntenteError('ENTENTE_STORE_UNAVAILABLE', 'SQLITE_CANTOPEN: /srv/entente/data/entente.db', [{ message: '/srv/entente' }]);
    handleRestError(error, request as never, reply as never);
    expect(sent).toEqual({ error: { code: 'ENTENTE_STORE_UNAVAILABLE', message: 'The store does not answer', details: [] } });
  });
});

describe('toRestError', () => {
  it('passes catalogue errors through', () => {
    const error = new EntenteError('ENTENTE_FORBIDDEN');
    expect(toRestError(error)).toBe(error);
  });

  it('maps body validation to ENTENTE_BAD_REQUEST with one detail per problem', () => {
    const mapped = toRestError(validationError('body', [
      { instancePath: '/roles/0', keyword: 'enum', message: 'must be equal to one of the allowed values', params: {} },
      { instancePath: '', keyword: 'required', message: "must have required property 'name'", params: { missingProperty: 'name' } },
    ]));
    expect(mapped.code).toBe('ENTENTE_BAD_REQUEST');
    expect(mapped.details).toEqual([
      { path: '$.roles[0]', message: 'must be equal to one of the allowed values' },
      { path: '$.name', message: 'is required' },
    ]);
    expect(mapped.message).toMatch(/^The body is invalid: \$\.roles\[0\] must be/);
  });

  it('maps query validation to ENTENTE_INVALID_PARAMETER naming the parameter', () => {
    const mapped = toRestError(validationError('querystring', [{ instancePath: '/limit', keyword: 'type', message: 'must be integer', params: {} }]));
    expect(mapped.code).toBe('ENTENTE_INVALID_PARAMETER');
    expect(mapped.details).toEqual([{ path: 'limit', message: 'must be integer' }]);
  });

  it('maps Fastify body errors onto the catalogue', () => {
    const fastify = (code: string, statusCode: number) => Object.assign(new Error(code), { code, statusCode });
    expect(toRestError(fastify('FST_ERR_CTP_BODY_TOO_LARGE', 413)).code).toBe('ENTENTE_BODY_TOO_LARGE');
    expect(toRestError(fastify('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415)).code).toBe('ENTENTE_UNSUPPORTED_MEDIA_TYPE');
    expect(toRestError(fastify('FST_ERR_CTP_EMPTY_JSON_BODY', 400)).code).toBe('ENTENTE_BAD_REQUEST');
    expect(toRestError(fastify('FST_ERR_CTP_INVALID_JSON_BODY', 400)).code).toBe('ENTENTE_JSON_MALFORMED');
    expect(toRestError(fastify('FST_ERR_SOMETHING_ELSE', 400)).code).toBe('ENTENTE_BAD_REQUEST');
  });

  it('turns anything unexpected into ENTENTE_INTERNAL keeping the cause', () => {
    const cause = new TypeError('x is undefined');
    const mapped = toRestError(cause);
    expect(mapped.code).toBe('ENTENTE_INTERNAL');
    expect(mapped.cause).toBe(cause);
    expect(restErrorBody(mapped)).toEqual({ error: { code: 'ENTENTE_INTERNAL', message: 'Internal error', details: [] } });
  });
});
