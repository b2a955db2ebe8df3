/**
 * Media types of TAXII 2.1 (section 1.6.8) and the negotiation real clients need. taxii2-client
 * sends `application/taxii+json;version=2.1`; older builds and some integrations send the 2.0-era
 * `application/vnd.oasis.taxii+json; version=2.1`, STIX media types, `application/json` or
 * `*` + `/*`. All of those are served; only another TAXII version is refused.
 */
export const TAXII_21 = 'application/taxii+json;version=2.1';
export const STIX_21 = 'application/stix+json;version=2.1';

export interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly params: Readonly<Record<string, string>>;
  readonly q: number;
}

/** Parses one media type or range (`type/subtype;k=v`); undefined when it is not one. */
export function parseMediaType(text: string): MediaRange | undefined {
  const [essence = '', ...rest] = text.split(';');
  const match = /^\s*([\w.+*-]+)\/([\w.+*-]+)\s*$/.exec(essence);
  if (match === null) return undefined;
  const params: Record<string, string> = {};
  let q = 1;
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    if (key === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
    else params[key] = value;
  }
  return { type: (match[1] as string).toLowerCase(), subtype: canonicalSubtype((match[2] as string).toLowerCase()), params, q };
}

// The vnd.oasis names of TAXII 2.0 drafts mean the same documents.
function canonicalSubtype(subtype: string): string {
  return subtype === 'vnd.oasis.taxii+json' ? 'taxii+json' : subtype === 'vnd.oasis.stix+json' ? 'stix+json' : subtype;
}

function versionOk(range: MediaRange): boolean {
  const version = range.params['version'];
  return version === undefined || version === '2.1';
}

/** Whether a range accepts the TAXII/STIX JSON documents this server produces. */
function accepts(range: MediaRange, offer: MediaRange): boolean {
  if (range.q <= 0) return false;
  if (range.type === '*' && range.subtype === '*') return true;
  if (range.type !== 'application') return false;
  if (range.subtype === '*' || range.subtype === 'json') return true;
  return range.subtype === offer.subtype && versionOk(range);
}

/**
 * The media type to answer with, or undefined for a 406. `offers` are in order of preference;
 * the client's ranges are tried by descending q. A range naming an offer exactly (TAXII or STIX
 * JSON) selects that offer; wildcards and `application/json` select the first offer.
 */
export function negotiate(acceptHeader: string | undefined, offers: ReadonlyArray<string>): string | undefined {
  if (acceptHeader === undefined || acceptHeader.trim() === '') return offers[0];
  const ranges = acceptHeader.split(',').map(parseMediaType).filter((r): r is MediaRange => r !== undefined);
  const parsedOffers = offers.map((o) => ({ text: o, range: parseMediaType(o) as MediaRange }));
  const sorted = [...ranges].sort((a, b) => b.q - a.q);
  for (const range of sorted) {
    const exact = parsedOffers.find((o) => range.subtype === o.range.subtype && accepts(range, o.range));
    if (exact !== undefined) return exact.text;
    const loose = parsedOffers.find((o) => accepts(range, o.range));
    if (loose !== undefined) return loose.text;
  }
  return undefined;
}

/**
 * `negotiate` for fixed offers, remembering its answer per Accept header: a client sends the same
 * header with every request, and parsing it was ~3 µs of each TAXII page. At most `max` headers
 * are remembered (past that it starts again), since the header is the client's to choose.
 */
export function negotiator(offers: ReadonlyArray<string>, max = 64): (acceptHeader: string | undefined) => string | undefined {
  const known = new Map<string, string | null>();
  return (acceptHeader) => {
    if (acceptHeader === undefined) return negotiate(acceptHeader, offers);
    const found = known.get(acceptHeader);
    if (found !== undefined) return found ?? undefined;
    const chosen = negotiate(acceptHeader, offers);
    if (known.size >= max) known.clear();
    known.set(acceptHeader, chosen ?? null);
    return chosen;
  };
}

/**
 * Whether a request body's Content-Type is one a TAXII POST may carry (section 5.5 names
 * `application/taxii+json;version=2.1`; STIX JSON and plain JSON are tolerated).
 */
export function isAcceptableBodyType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const range = parseMediaType(contentType);
  if (range === undefined || range.type !== 'application') return false;
  if (range.subtype === 'json') return true;
  return (range.subtype === 'taxii+json' || range.subtype === 'stix+json') && versionOk(range);
}

/** The body media types the JSON parser is registered for. */
export const JSON_BODY_TYPES: ReadonlyArray<string> = [
  'application/json',
  'application/taxii+json',
  'application/stix+json',
  'application/vnd.oasis.taxii+json',
  'application/vnd.oasis.stix+json',
];
