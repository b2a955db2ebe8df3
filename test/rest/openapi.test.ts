import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRestNode, type RestNode } from './rest-harness.js';

/** Every REST route, as `METHOD path` in OpenAPI path syntax. */
const REST_ROUTES = [
  'get /api/v1/search',
  'get /api/v1/objects/{id}',
  'get /api/v1/objects/{id}/versions',
  'get /api/v1/objects/{id}/neighbours',
  'post /api/v1/imports',
  'get /api/v1/imports',
  'get /api/v1/imports/{id}',
  'get /api/v1/users',
  'post /api/v1/users',
  'patch /api/v1/users/{name}',
  'delete /api/v1/users/{name}',
  'get /api/v1/tokens',
  'post /api/v1/tokens',
  'delete /api/v1/tokens/{id}',
  'get /api/v1/collections',
  'post /api/v1/collections',
  'delete /api/v1/collections/{id}',
  'get /api/v1/collections/{id}/grants',
  'put /api/v1/collections/{id}/grants/{user}',
  'get /api/v1/organisations',
  'post /api/v1/organisations',
  'get /api/v1/organisations/{code}',
  'get /api/v1/organisations/{code}/identity',
  'delete /api/v1/organisations/{code}',
  'get /api/v1/users/{name}/profile',
  'put /api/v1/users/{name}/profile',
  'get /api/v1/agreements',
  'post /api/v1/agreements',
  'post /api/v1/agreements/validate',
  'get /api/v1/agreements/{id}',
  'get /api/v1/agreements/{id}/versions',
  'get /api/v1/agreements/{id}/diff',
  'post /api/v1/agreements/{id}/status',
  'post /api/v1/agreements/simulate',
  'post /api/v1/agreements/{id}/compare',
  'get /api/v1/decisions',
  'post /api/v1/labels/parse',
];

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

describe('OpenAPI document', () => {
  let node: RestNode;
  let doc: Json;
  beforeAll(async () => {
    node = await startRestNode();
    const res = await node.call(undefined, { method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(async () => node.close());

  it('is served without credentials as an OpenAPI 3 document naming the product version', () => {
    expect(doc['openapi']).toMatch(/^3\.\d+\.\d+$/);
    expect(doc['info']).toMatchObject({ title: 'Entente REST API', version: '9.9.9-test' });
  });

  it('lists every REST route and nothing else (no TAXII, no operations routes, not itself)', () => {
    const paths = doc['paths'] as Json;
    const listed = Object.entries(paths).flatMap(([path, item]) => Object.keys(item as Json).filter((k) => METHODS.includes(k)).map((m) => `${m} ${path}`));
    expect(listed.sort()).toEqual([...REST_ROUTES].sort());
  });

  it('has the structure OpenAPI 3 requires: operations with responses keyed by status, parameters with name/in/schema', () => {
    for (const [path, item] of Object.entries(doc['paths'] as Json)) {
      expect(path.startsWith('/'), path).toBe(true);
      for (const [method, operation] of Object.entries(item as Json)) {
        if (!METHODS.includes(method)) continue;
        expect(isObject(operation), `${method} ${path}`).toBe(true);
        const op = operation as Json;
        const responses = op['responses'] as Json;
        expect(isObject(responses) && Object.keys(responses).length > 0, `${method} ${path} responses`).toBe(true);
        for (const [status, response] of Object.entries(responses)) {
          expect(status, `${method} ${path}`).toMatch(/^([1-5]\d\d|[1-5]XX|default)$/);
          expect(typeof (response as Json)['description'], `${method} ${path} ${status} description`).toBe('string');
        }
        for (const parameter of (op['parameters'] ?? []) as Json[]) {
          expect(['query', 'path', 'header', 'cookie']).toContain(parameter['in']);
          expect(typeof parameter['name']).toBe('string');
          expect(isObject(parameter['schema'])).toBe(true);
          if (parameter['in'] === 'path') {
            expect(parameter['required']).toBe(true);
            expect(path).toContain(`{${String(parameter['name'])}}`);
          }
        }
      }
    }
  });

  it('declares the Basic and Bearer schemes and requires one of them', () => {
    const schemes = (doc['components'] as Json)['securitySchemes'] as Json;
    expect(schemes['basicAuth']).toEqual(expect.objectContaining({ type: 'http', scheme: 'basic' }));
    expect(schemes['bearerAuth']).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc['security']).toEqual([{ basicAuth: [] }, { bearerAuth: [] }]);
  });

  it('resolves every $ref inside the document', () => {
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (isObject(v)) {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.push(x);
          else walk(x);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref, ref).toMatch(/^#\//);
      const target = ref.slice(2).split('/').reduce<unknown>((at, key) => (isObject(at) ? at[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('uses only what the OpenAPI 3.0 schema object allows (no $id, const, $schema or type null)', () => {
    const found: string[] = [];
    const walk = (v: unknown, at: string): void => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`));
      else if (isObject(v)) {
        for (const [k, x] of Object.entries(v)) {
          if (['$id', 'const', '$schema', 'prefixItems', 'if', 'then', 'else'].includes(k) || (k === 'type' && (x === 'null' || Array.isArray(x)))) found.push(`${at}/${k}`);
          walk(x, `${at}/${k}`);
        }
      }
    };
    walk(doc, '#');
    expect(found).toEqual([]);
  });

  it('documents the request body and the error answers of an import', () => {
    const post = ((doc['paths'] as Json)['/api/v1/imports'] as Json)['post'] as Json;
    const body = (((post['requestBody'] as Json)['content'] as Json)['application/json'] as Json)['schema'] as Json;
    expect(body['required']).toEqual(['type', 'objects']);
    const responses = post['responses'] as Json;
    for (const status of ['201', '400', '401', '403', '404', '413']) expect(Object.keys(responses)).toContain(status);
    const ref = ((((responses['400'] as Json)['content'] as Json)['application/json'] as Json)['schema'] as Json)['$ref'];
    expect(ref).toBe('#/components/schemas/RestError');
    const error = ((doc['components'] as Json)['schemas'] as Json)['RestError'] as Json;
    expect(error['required']).toEqual(['error']);
  });
});
