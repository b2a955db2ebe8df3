import { describe, expect, it } from 'vitest';
import { isAcceptableBodyType, negotiate, negotiator, STIX_21, TAXII_21 } from './media-type.js';

const offers = [TAXII_21, STIX_21];

describe('media type negotiation', () => {
  it('answers with TAXII 2.1 when the client sends what taxii2-client sends', () => {
    expect(negotiate('application/taxii+json;version=2.1', offers)).toBe(TAXII_21);
  });

  it('tolerates spaces, charset and the vnd.oasis names of older clients', () => {
    expect(negotiate('application/vnd.oasis.taxii+json; version=2.1; charset=utf-8', offers)).toBe(TAXII_21);
  });

  it('answers with STIX JSON to a client that asks only for it', () => {
    expect(negotiate('application/stix+json;version=2.1', offers)).toBe(STIX_21);
  });

  it('serves wildcards, application/json and a missing Accept with TAXII', () => {
    expect(negotiate('*/*', offers)).toBe(TAXII_21);
    expect(negotiate('application/json', offers)).toBe(TAXII_21);
    expect(negotiate(undefined, offers)).toBe(TAXII_21);
  });

  it('refuses another TAXII version and other types', () => {
    expect(negotiate('application/taxii+json;version=2.0', offers)).toBeUndefined();
    expect(negotiate('text/html', offers)).toBeUndefined();
    expect(negotiate('application/taxii+json;version=2.1;q=0', offers)).toBeUndefined();
  });

  it('prefers the range with the higher q', () => {
    expect(negotiate('application/taxii+json;version=2.1;q=0.2, application/stix+json;version=2.1', offers)).toBe(STIX_21);
  });
});

describe('request body media types', () => {
  it('accepts TAXII 2.1, STIX 2.1 and plain JSON bodies', () => {
    expect(isAcceptableBodyType('application/taxii+json;version=2.1')).toBe(true);
    expect(isAcceptableBodyType('application/stix+json')).toBe(true);
    expect(isAcceptableBodyType('application/json; charset=utf-8')).toBe(true);
  });

  it('refuses a TAXII 2.0 body, text and a missing Content-Type', () => {
    expect(isAcceptableBodyType('application/taxii+json;version=2.0')).toBe(false);
    expect(isAcceptableBodyType('text/plain')).toBe(false);
    expect(isAcceptableBodyType(undefined)).toBe(false);
  });
});

describe('remembered negotiation', () => {
  it('answers as negotiate does, asked again and again, past its bound, refusals included', async () => {
    const fc = await import('fast-check');
    const remembered = negotiator(offers, 4);
    const header = fc.oneof(
      fc.constantFrom('application/taxii+json;version=2.1', 'application/taxii+json;version=2.0', 'text/html', '*/*', 'application/stix+json;version=2.1'),
      fc.string(),
    );
    fc.assert(fc.property(fc.array(fc.option(header, { nil: undefined }), { maxLength: 30 }), (headers) => {
      for (const h of [...headers, ...headers]) expect(remembered(h)).toBe(negotiate(h, offers));
    }));
  });
});

describe('media type parsing on arbitrary input', () => {
  it('never throws, whatever the header', async () => {
    const fc = await import('fast-check');
    fc.assert(fc.property(fc.string(), (header) => {
      const chosen = negotiate(header, offers);
      return chosen === undefined || offers.includes(chosen);
    }));
    fc.assert(fc.property(fc.string(), (header) => typeof isAcceptableBodyType(header) === 'boolean'));
  });
});
