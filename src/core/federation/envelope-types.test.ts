import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFingerprint, parseBundleContent, parseSignatureHeader, parseSignedContent } from './envelope-types.js';

const header = {
  alg: 'EdDSA', typ: 'entente-envelope+jws', kid: 'k', envelope: '6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
  origin: 'DEU', signer: 'POL', created: '2026-05-01T08:00:00.000Z', expires: '2026-05-02T08:00:00.000Z',
};

function pathOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { details: ReadonlyArray<{ path?: string }> }).details[0]?.path;
  }
}

describe('envelope checks', () => {
  it('reads a complete signature header', () => {
    expect(parseSignatureHeader(header, '$.h')).toEqual(header);
  });

  it('names the member at fault in a signature header', () => {
    expect(pathOf(() => parseSignatureHeader({ ...header, alg: 'none' }, '$.h'))).toBe('$.h.alg');
    expect(pathOf(() => parseSignatureHeader({ ...header, envelope: 'not-a-uuid' }, '$.h'))).toBe('$.h.envelope');
    expect(pathOf(() => parseSignatureHeader({ ...header, origin: 'deu' }, '$.h'))).toBe('$.h.origin');
    expect(pathOf(() => parseSignatureHeader({ ...header, expires: header.created }, '$.h'))).toBe('$.h.expires');
  });

  it('names the member at fault in signed content and bundles', () => {
    expect(pathOf(() => parseSignedContent({ payload: 'e30', signatures: [] }))).toBe('$.signatures');
    expect(pathOf(() => parseSignedContent({ payload: 'e30', signatures: [{ protected: 'e30', signature: 'a+b' }] }))).toBe('$.signatures[0].signature');
    expect(pathOf(() => parseBundleContent({ type: 'bundle', id: 'bundle--x', objects: [1] }))).toBe('$.objects[0]');
  });

  it('prints a fingerprint as sixteen groups of four hex digits, one-to-one with the thumbprint', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
      const printed = formatFingerprint(Buffer.from(bytes).toString('base64url'));
      expect(printed).toMatch(/^([0-9A-F]{4} ){15}[0-9A-F]{4}$/);
      expect(Buffer.from(printed.replaceAll(' ', ''), 'hex')).toEqual(Buffer.from(bytes));
    }));
  });
});
