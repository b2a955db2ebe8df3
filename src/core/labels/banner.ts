/**
 * Banners: the one-line text form of a label that analysts read and type, e.g.
 * `NATO RESTRICTED // REL TO NATO // TLP:AMBER`. Segments are separated by `//` and may come in
 * any order on input; printing is canonical (classifications, REL TO lists, caveats, INFO,
 * TLP, PAP, IEP) so that `parseBanner(printBanner(l))` equals `normaliseLabel(l)`.
 */
import { EntenteError } from '../errors.js';
import { lexiconOf, lookupClassification, printClassification } from './banner-lexicon.js';
import { HANDLING_FIELDS, HANDLING_ORDERS } from './handling.js';
import { EMPTY_LABEL, normaliseLabel } from './label-algebra.js';
import { papLevelOf, printPap } from './pap.js';
import { printTlp, tlpLevelOf } from './tlp.js';
import type { Classification, ClassificationPolicy, HandlingRules, PapLevel, SecurityLabel, TlpLevel } from './types.js';

export interface BannerOptions {
  readonly policies: ReadonlyArray<ClassificationPolicy>;
  /** The policy a bare level (`SECRET`) belongs to, usually the node's national scheme. */
  readonly defaultPolicy?: string;
}

/** The banner of a label that restricts nothing. */
export const UNMARKED = 'UNMARKED';
const MAX_BANNER = 4096;
const SEGMENT_KINDS = 'a classification, REL TO list, caveats, INFO, TLP:, PAP: or IEP';

interface Piece { readonly text: string; readonly column: number }

function fail(column: number, message: string): never {
  throw new EntenteError('ENTENTE_LABEL_INVALID', `banner, column ${column}: ${message}`, [{ message: `column ${column}: ${message}` }]);
}

/** Splits `text` (found at 0-based `offset` of the banner) on `separator`, trimming each piece. */
function split(text: string, offset: number, separator: string): Piece[] {
  const pieces: Piece[] = [];
  let start = 0;
  for (;;) {
    const end = text.indexOf(separator, start);
    const raw = text.slice(start, end < 0 ? undefined : end);
    const lead = raw.length - raw.trimStart().length;
    pieces.push({ text: raw.trim(), column: offset + start + lead + 1 });
    if (end < 0) return pieces;
    start = end + separator.length;
  }
}

/** The items of a comma-separated list that starts `skip` characters into `piece`. */
function listItems(piece: Piece, skip: number, what: string): Piece[] {
  const items = split(piece.text.slice(skip), piece.column - 1 + skip, ',');
  for (const item of items) if (item.text === '') fail(item.column, `expected ${what}, found nothing`);
  return items;
}

const HANDLING_KEYS = new Map(HANDLING_FIELDS.map((f) => [f.replace(/[A-Z]/g, (c) => `-${c}`).toUpperCase(), f] as const));

function readHandling(items: ReadonlyArray<Piece>): HandlingRules {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.text.indexOf('=');
    if (eq < 0) fail(item.column, `expected KEY=VALUE in the IEP segment, found ${JSON.stringify(item.text)}`);
    const key = item.text.slice(0, eq).trim().toUpperCase().replace(/\s+/g, '-');
    const value = item.text.slice(eq + 1).trim();
    const valueColumn = item.column + eq + 1 + (item.text.slice(eq + 1).length - item.text.slice(eq + 1).trimStart().length);
    const field = key === 'EXPIRES' ? 'expiresAt' : HANDLING_KEYS.get(key);
    if (field === undefined) fail(item.column, `unknown IEP rule ${JSON.stringify(key)}; expected EXPIRES or ${[...HANDLING_KEYS.keys()].join(', ')}`);
    if (out[field] !== undefined) fail(item.column, `IEP rule ${key} is given twice`);
    if (field !== 'expiresAt') {
      const allowed = HANDLING_ORDERS[field] as ReadonlyArray<string>;
      if (!allowed.includes(value.toLowerCase())) fail(valueColumn, `expected ${allowed.map((a) => a.toUpperCase()).join(', ')} for ${key}, found ${JSON.stringify(value)}`);
      out[field] = value.toLowerCase();
    } else {
      out[field] = value.toUpperCase();
    }
  }
  return out as HandlingRules;
}

interface Parsed {
  tlp?: TlpLevel;
  pap?: PapLevel;
  readonly classifications: Array<Classification & { readonly column: number }>;
  readonly releasableTo: Array<{ readonly tokens: string[]; readonly column: number }>;
  readonly caveats: Piece[];
  readonly informative: string[];
  handling?: HandlingRules;
}

function readSegment(segment: Piece, state: Parsed, options: BannerOptions): void {
  const { text, column } = segment;
  let match: RegExpExecArray | null;
  if ((match = /^(TLP|PAP)\s*:\s*/i.exec(text)) !== null) {
    const isTlp = match[1]?.toUpperCase() === 'TLP';
    const word = text.slice(match[0].length);
    const where = column + match[0].length;
    if (isTlp) {
      const level = tlpLevelOf(word);
      if (level === undefined) fail(where, `expected CLEAR, GREEN, AMBER, AMBER+STRICT or RED after TLP:, found ${JSON.stringify(word)}`);
      if (state.tlp !== undefined) fail(column, 'TLP is given twice');
      state.tlp = level;
    } else {
      const level = papLevelOf(word);
      if (level === undefined) fail(where, `expected CLEAR, GREEN, AMBER or RED after PAP:, found ${JSON.stringify(word)}`);
      if (state.pap !== undefined) fail(column, 'PAP is given twice');
      state.pap = level;
    }
    return;
  }
  if ((match = /^REL(?:EASABLE)?\s+TO(?:\s+|$)/i.exec(text)) !== null) {
    const items = listItems(segment, match[0].length, 'a country trigraph or alliance tetragraph');
    const tokens = items.map((item) => {
      const token = item.text.toUpperCase();
      if (!/^[A-Z][A-Z0-9-]*$/.test(token)) fail(item.column, `expected a country trigraph or alliance tetragraph, found ${JSON.stringify(item.text)}`);
      return token;
    });
    state.releasableTo.push({ tokens, column });
    return;
  }
  if ((match = /^INFO\s+/i.exec(text)) !== null) {
    for (const item of listItems(segment, match[0].length, 'an informative category')) state.informative.push(item.text.toUpperCase());
    return;
  }
  if ((match = /^IEP\s+/i.exec(text)) !== null) {
    if (state.handling !== undefined) fail(column, 'IEP is given twice');
    state.handling = readHandling(listItems(segment, match[0].length, 'an IEP rule'));
    return;
  }
  const found = lookupClassification(lexiconOf(options.policies), text, options.defaultPolicy);
  if (found.kind === 'found') {
    const previous = state.classifications.find((c) => c.policy === found.classification.policy);
    if (previous !== undefined) fail(column, `a second ${found.classification.policy} classification (the first is at column ${previous.column})`);
    state.classifications.push({ ...found.classification, column });
    return;
  }
  if (found.kind === 'ambiguous') {
    const spelled = found.candidates.map((c) => `${c.policy} ${c.level}`).join(', ');
    fail(column, `${JSON.stringify(text)} is a level of several policies; write one of ${spelled}, or read the banner with a default policy`);
  }
  const items = listItems(segment, 0, 'a caveat');
  if (items.length === 1 && /\s/.test(text)) {
    fail(column, `expected ${SEGMENT_KINDS}, found ${JSON.stringify(text)}, which is no known classification (caveats are single words)`);
  }
  for (const item of items) {
    if (!/^[\p{Lu}\p{N}][\p{Lu}\p{N}_-]*$/u.test(item.text.toUpperCase())) fail(item.column, `expected a caveat (one word), found ${JSON.stringify(item.text)}`);
    state.caveats.push({ text: item.text.toUpperCase(), column: item.column });
  }
}

/**
 * Reads a banner: case-insensitive, spaces free around `//` and commas. Errors are
 * ENTENTE_LABEL_INVALID and say at which 1-based column what was expected. A banner with both
 * NOFORN and a REL TO list is refused: they say opposite things, and one of them is a mistake.
 */
export function parseBanner(text: string, options: BannerOptions): SecurityLabel {
  if (text.length > MAX_BANNER) fail(MAX_BANNER + 1, `a banner has at most ${MAX_BANNER} characters`);
  const segments = split(text, 0, '//');
  if (segments.length === 1 && segments[0]?.text.toUpperCase() === UNMARKED) return EMPTY_LABEL;
  const state: Parsed = { classifications: [], releasableTo: [], caveats: [], informative: [] };
  for (const segment of segments) {
    if (segment.text === '') fail(segment.column, `expected ${SEGMENT_KINDS}, found nothing`);
    readSegment(segment, state, options);
  }
  const noforn = state.caveats.find((c) => c.text === 'NOFORN');
  const rel = state.releasableTo[0];
  if (noforn !== undefined && rel !== undefined) {
    fail(noforn.column, `NOFORN (no foreign release) contradicts the REL TO list at column ${rel.column}; a banner carries one or the other`);
  }
  return normaliseLabel({
    ...(state.tlp === undefined ? {} : { tlp: state.tlp }),
    ...(state.pap === undefined ? {} : { pap: state.pap }),
    classifications: state.classifications.map(({ policy, level }) => ({ policy, level })),
    releasableTo: state.releasableTo.map((r) => r.tokens),
    caveats: state.caveats.map((c) => c.text),
    informative: state.informative,
    handling: state.handling ?? {},
  }, options.policies);
}

function printHandling(handling: HandlingRules): string | undefined {
  const parts: string[] = [];
  for (const [key, field] of HANDLING_KEYS) {
    const value = handling[field];
    if (value !== undefined) parts.push(`${key}=${value.toUpperCase()}`);
  }
  if (handling.expiresAt !== undefined) parts.push(`EXPIRES=${handling.expiresAt}`);
  return parts.length === 0 ? undefined : `IEP ${parts.join(', ')}`;
}

/**
 * The canonical banner of a label (normalised first). A classification is written as its
 * policy writes it when that reads back unambiguously (with `defaultPolicy`, a bare `SECRET`
 * can), otherwise as `<POLICY> <LEVEL>`. A label with no restriction prints as `UNMARKED`.
 */
export function printBanner(label: SecurityLabel, policies: ReadonlyArray<ClassificationPolicy>, options: { readonly defaultPolicy?: string } = {}): string {
  const l = normaliseLabel(label, policies);
  const segments = [
    ...l.classifications.map((c) => printClassification(policies, c, options.defaultPolicy)),
    ...l.releasableTo.map((list) => `REL TO ${list.join(', ')}`),
    ...(l.caveats.length === 0 ? [] : [l.caveats.join(', ')]),
    ...(l.informative.length === 0 ? [] : [`INFO ${l.informative.join(', ')}`]),
    ...(l.tlp === undefined ? [] : [printTlp(l.tlp)]),
    ...(l.pap === undefined ? [] : [printPap(l.pap)]),
  ];
  const handling = printHandling(l.handling);
  if (handling !== undefined) segments.push(handling);
  return segments.length === 0 ? UNMARKED : segments.join(' // ');
}
