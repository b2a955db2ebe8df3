import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, EntenteError } from './errors.js';

describe('error catalogue', () => {
  const codes = Object.keys(ERROR_CATALOGUE);

  it('gives every code the ENTENTE_ prefix and a valid HTTP status', () => {
    for (const code of codes) {
      expect(code).toMatch(/^ENTENTE_[A-Z0-9_]+$/);
      const { status } = ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE];
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });

  it('documents every code in docs/errors.md, and documents no code that does not exist', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const documented = new Set([...doc.matchAll(/`(ENTENTE_[A-Z0-9_]+)`/g)].map((m) => m[1]));
    for (const code of codes) expect(documented, `${code} missing from docs/errors.md`).toContain(code);
    for (const code of documented) expect(codes, `${code} documented but not in the catalogue`).toContain(code);
  });

  it('carries the status of its code and the details given', () => {
    const error = new EntenteError('ENTENTE_STIX_INVALID', undefined, [{ path: '$.objects[0].id', message: 'bad id' }]);
    expect(error.status).toBe(422);
    expect(error.message).toBe('The STIX content is invalid');
    expect(error.details[0]?.path).toBe('$.objects[0].id');
  });
});
