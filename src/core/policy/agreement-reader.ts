/**
 * Agreements as code: the YAML an agreement is written in, read into an `Agreement` and checked
 * against the organisations and classification policies the node knows. Every problem is
 * reported at once, each with its JSON path and its line and column in the YAML, so a liaison
 * officer fixes the text in one pass. Nothing half-read is ever returned.
 */
import type { ErrorDetail } from '../errors.js';
import { EntenteError } from '../errors.js';
import { PAP_LEVELS, TLP_LEVELS, type AllianceDirectory, type Classification, type ClassificationPolicy, type PapLevel, type TlpLevel } from '../labels/types.js';
import { lexiconOf, lookupClassification } from '../labels/banner-lexicon.js';
import { readHandling } from './agreement-handling.js';
import { AGREEMENT_STATUSES, type Agreement, type AgreementScope, type AgreementStatus, type Ceiling, type Obligation, type Organisation, type RedactionRule } from './types.js';
import { printPath, readYaml, type PathStep, type YamlSource } from './yaml-source.js';

/** What an agreement is checked against. */
export interface AgreementContext {
  /** Code of this node's own organisation: every agreement of the node names it as a party. */
  readonly nodeOrganisation: string;
  /** The directory, by organisation code. */
  readonly organisations: ReadonlyMap<string, Organisation>;
  readonly policies: ReadonlyArray<ClassificationPolicy>;
  readonly alliances: AllianceDirectory;
}

const ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const TYPE_NAME = /^[a-z0-9][a-z0-9-]{1,249}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const TOP_KEYS = ['agreement', 'title', 'purpose', 'status', 'parties', 'valid', 'scope', 'ceiling', 'ceilings', 'onward', 'obligations', 'redact', 'handling'];

/** A problem collector that locates each path in the YAML. */
export class Problems {
  readonly list: ErrorDetail[] = [];
  constructor(private readonly source: YamlSource | undefined) {}
  add(path: ReadonlyArray<PathStep>, message: string, key = false): void {
    const at = this.source?.where(path, key);
    this.list.push({ path: printPath(path), message: at === undefined ? message : `line ${at.replace(':', ', column ')}: ${message}` });
  }
}

/**
 * Reads the YAML text of an agreement. `version` is given by the caller (the store decides the
 * next one). Throws ENTENTE_AGREEMENT_INVALID listing every problem.
 */
export function readAgreement(text: string, context: AgreementContext, version: number): Agreement {
  const source = readYaml(text, 'The agreement');
  return checkAgreement(source.value, context, version, source);
}

/** Checks an agreement given as a plain value (the REST body, or parsed YAML). */
export function checkAgreement(value: unknown, context: AgreementContext, version: number, source?: YamlSource): Agreement {
  const problems = new Problems(source);
  const agreement = read(value, context, version, problems);
  if (problems.list.length > 0 || agreement === undefined) {
    const first = problems.list[0];
    const summary = first === undefined ? 'The agreement is invalid' : `The agreement is invalid: ${first.path}: ${first.message}${problems.list.length > 1 ? ` (and ${problems.list.length - 1} more)` : ''}`;
    throw new EntenteError('ENTENTE_AGREEMENT_INVALID', summary, problems.list);
  }
  return agreement;
}

function read(value: unknown, ctx: AgreementContext, version: number, p: Problems): Agreement | undefined {
  if (!isRecord(value)) {
    p.add([], 'an agreement is a mapping with the keys agreement, title, parties, valid, ceiling, ...');
    return undefined;
  }
  for (const key of Object.keys(value)) if (!TOP_KEYS.includes(key)) p.add([key], `unknown key "${key}" (known: ${TOP_KEYS.join(', ')})`, true);
  const id = text(value, ['agreement'], p, true);
  if (id !== undefined && !ID.test(id)) p.add(['agreement'], `"${id}" is not a valid agreement id: lower-case letters, digits, ".", "_" and "-", at most 63 characters`);
  const title = text(value, ['title'], p, true) ?? '';
  const purpose = text(value, ['purpose'], p, false) ?? '';
  const statusText = text(value, ['status'], p, false) ?? 'draft';
  const status = (AGREEMENT_STATUSES as ReadonlyArray<string>).includes(statusText) ? (statusText as AgreementStatus) : undefined;
  if (status === undefined) p.add(['status'], `"${statusText}" is not a status (one of ${AGREEMENT_STATUSES.join(', ')})`);

  const parties = readParties(value['parties'], ctx, p);
  const { validFrom, validUntil } = readValidity(value['valid'], p);
  const scope = readScope(value['scope'], p);
  const defaultCeiling = value['ceiling'] === undefined
    ? (p.add(['ceiling'], 'a default ceiling is required (for example `ceiling: { tlp: green }`)', false), undefined)
    : readCeiling(value['ceiling'], ['ceiling'], ctx, p);
  const ceilings = readCeilings(value['ceilings'], parties, ctx, p);
  if (defaultCeiling !== undefined) {
    for (const party of parties) {
      if (ceilings[party] === undefined && party !== ctx.nodeOrganisation) checkReleaseLimits(defaultCeiling, ['ceiling'], party, ctx, p);
    }
  }
  const onward = readOnward(value['onward'], parties, ctx, p);
  const obligations = readObligations(value['obligations'], p);
  const redactions = readRedactions(value['redact'], p);
  const handling = value['handling'] === undefined ? undefined : readHandling(value['handling'], ['handling'], p);

  if (id === undefined || status === undefined || validFrom === undefined || defaultCeiling === undefined || p.list.length > 0) return undefined;
  return {
    id, version, title, purpose, status, parties, validFrom,
    ...(validUntil === undefined ? {} : { validUntil }),
    scope, defaultCeiling, ceilings, onward, obligations, redactions,
    ...(handling === undefined ? {} : { handling }),
  };
}

function readParties(value: unknown, ctx: AgreementContext, p: Problems): ReadonlyArray<string> {
  if (!Array.isArray(value) || value.length < 2) {
    p.add(['parties'], 'parties must list at least two organisation codes, this node\'s own included');
    return [];
  }
  const seen = new Set<string>();
  value.forEach((code, i) => {
    if (typeof code !== 'string') return p.add(['parties', i], 'an organisation code (a string) is expected');
    if (seen.has(code)) return p.add(['parties', i], `${code} is listed twice`);
    seen.add(code);
    if (!ctx.organisations.has(code)) p.add(['parties', i], `unknown party ${code}: no organisation has this code (add it to the directory first)`);
  });
  if (!seen.has(ctx.nodeOrganisation)) p.add(['parties'], `this node's organisation ${ctx.nodeOrganisation} is not a party: an agreement of this node must name it`);
  return [...seen];
}

function readValidity(value: unknown, p: Problems): { validFrom?: string; validUntil?: string } {
  if (!isRecord(value)) {
    p.add(['valid'], 'valid must be a mapping with from (and optionally until), as STIX timestamps');
    return {};
  }
  for (const key of Object.keys(value)) if (key !== 'from' && key !== 'until') p.add(['valid', key], `unknown key "${key}" (known: from, until)`, true);
  const from = timestamp(value['from'], ['valid', 'from'], p, true);
  const until = timestamp(value['until'], ['valid', 'until'], p, false);
  if (from !== undefined && until !== undefined && until <= from) p.add(['valid', 'until'], `the agreement ends (${until}) before it starts (${from})`);
  return { ...(from === undefined ? {} : { validFrom: from }), ...(until === undefined ? {} : { validUntil: until }) };
}

function readScope(value: unknown, p: Problems): AgreementScope {
  const empty: AgreementScope = { types: [], excludeTypes: [], tags: [], sectors: [] };
  if (value === undefined) return empty;
  if (!isRecord(value)) {
    p.add(['scope'], 'scope must be a mapping (types, exclude-types, tags, sectors)');
    return empty;
  }
  const known = ['types', 'exclude-types', 'tags', 'sectors'];
  for (const key of Object.keys(value)) if (!known.includes(key)) p.add(['scope', key], `unknown key "${key}" (known: ${known.join(', ')})`, true);
  const types = strings(value['types'], ['scope', 'types'], p);
  const excludeTypes = strings(value['exclude-types'], ['scope', 'exclude-types'], p);
  [...types.map((t, i) => [t, 'types', i] as const), ...excludeTypes.map((t, i) => [t, 'exclude-types', i] as const)].forEach(([t, key, i]) => {
    if (!TYPE_NAME.test(t)) p.add(['scope', key, i], `"${t}" is not a STIX type name`);
  });
  excludeTypes.forEach((t, i) => {
    if (types.includes(t)) p.add(['scope', 'exclude-types', i], `${t} is both in scope (scope.types) and excluded: the agreement contradicts itself`);
  });
  for (const [key, list] of [['types', types], ['exclude-types', excludeTypes]] as const) {
    list.forEach((t, i) => {
      const first = list.indexOf(t);
      if (first !== i) p.add(['scope', key, i], `${t} is listed twice (first at scope.${key}[${first}])`);
    });
  }
  return { types, excludeTypes, tags: strings(value['tags'], ['scope', 'tags'], p), sectors: strings(value['sectors'], ['scope', 'sectors'], p) };
}

/** Reads `{ tlp, pap, classification }`; classification is `POLICY LEVEL` or a list of them. */
export function readCeiling(value: unknown, path: ReadonlyArray<PathStep>, ctx: AgreementContext, p: Problems): Ceiling | undefined {
  if (!isRecord(value)) {
    p.add(path, 'a ceiling is a mapping: { tlp: amber, pap: green, classification: NATO RESTRICTED }');
    return undefined;
  }
  for (const key of Object.keys(value)) if (!['tlp', 'pap', 'classification'].includes(key)) p.add([...path, key], `unknown key "${key}" (known: tlp, pap, classification)`, true);
  const tlpText = typeof value['tlp'] === 'string' ? value['tlp'].toLowerCase().replace(/^tlp:/, '') : undefined;
  if (tlpText === undefined) p.add([...path, 'tlp'], `a TLP ceiling is required (one of ${TLP_LEVELS.join(', ')})`);
  else if (!(TLP_LEVELS as ReadonlyArray<string>).includes(tlpText)) p.add([...path, 'tlp'], `"${String(value['tlp'])}" is not a TLP 2.0 level (one of ${TLP_LEVELS.join(', ')})`);
  const papText = typeof value['pap'] === 'string' ? value['pap'].toLowerCase().replace(/^pap:/, '') : undefined;
  if (value['pap'] !== undefined && (papText === undefined || !(PAP_LEVELS as ReadonlyArray<string>).includes(papText))) {
    p.add([...path, 'pap'], `"${String(value['pap'])}" is not a PAP level (one of ${PAP_LEVELS.join(', ')})`);
  }
  const raw = value['classification'];
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const classifications: Classification[] = [];
  list.forEach((entry, i) => {
    const at = Array.isArray(raw) ? [...path, 'classification', i] : [...path, 'classification'];
    const parsed = typeof entry === 'string' ? parseClassification(entry, ctx.policies) : undefined;
    if (parsed === undefined) return p.add(at, `"${String(entry)}" is not a known classification: write the policy then the level, e.g. "NATO RESTRICTED" (policies: ${ctx.policies.map((x) => x.id).join(', ')})`);
    if (classifications.some((c) => c.policy === parsed.policy)) return p.add(at, `two ceilings under the policy ${parsed.policy}: give one`);
    classifications.push(parsed);
  });
  if (tlpText === undefined || !(TLP_LEVELS as ReadonlyArray<string>).includes(tlpText)) return undefined;
  return {
    tlp: tlpText as TlpLevel,
    ...(papText !== undefined && (PAP_LEVELS as ReadonlyArray<string>).includes(papText) ? { pap: papText as PapLevel } : {}),
    classifications,
  };
}

function readCeilings(value: unknown, parties: ReadonlyArray<string>, ctx: AgreementContext, p: Problems): Record<string, Ceiling> {
  const out: Record<string, Ceiling> = {};
  if (value === undefined) return out;
  if (!isRecord(value)) {
    p.add(['ceilings'], 'ceilings must map party codes to ceilings');
    return out;
  }
  for (const [party, raw] of Object.entries(value)) {
    if (!parties.includes(party)) {
      p.add(['ceilings', party], `${party} has a ceiling but is not a party to this agreement`, true);
      continue;
    }
    const ceiling = readCeiling(raw, ['ceilings', party], ctx, p);
    if (ceiling === undefined) continue;
    checkReleaseLimits(ceiling, ['ceilings', party], party, ctx, p);
    out[party] = ceiling;
  }
  return out;
}

/** A ceiling may not go above what each classification policy lets organisations of the party's kind receive. */
function checkReleaseLimits(ceiling: Ceiling, path: ReadonlyArray<PathStep>, party: string, ctx: AgreementContext, p: Problems): void {
  const organisation = ctx.organisations.get(party);
  if (organisation === undefined) return;
  ceiling.classifications.forEach((c, i) => {
    const policy = ctx.policies.find((x) => x.id === c.policy);
    const limit = policy?.releaseLimits?.[organisation.kind];
    if (policy === undefined || limit === undefined) return;
    if (policy.levels.indexOf(c.level) > policy.levels.indexOf(limit)) {
      const at = ceiling.classifications.length > 1 ? [...path, 'classification', i] : [...path, 'classification'];
      p.add(at, `${c.policy} ${c.level} is above what the ${policy.name} policy allows to a ${organisation.kind} (${party}): at most ${c.policy} ${limit}`);
    }
  });
}

function readOnward(value: unknown, parties: ReadonlyArray<string>, ctx: AgreementContext, p: Problems): Record<string, ReadonlyArray<string>> {
  const out: Record<string, ReadonlyArray<string>> = {};
  if (value === undefined) return out;
  if (!isRecord(value)) {
    p.add(['onward'], 'onward must map party codes to the organisations or alliances they may pass data on to');
    return out;
  }
  for (const [party, raw] of Object.entries(value)) {
    if (!parties.includes(party)) {
      p.add(['onward', party], `${party} is not a party to this agreement`, true);
      continue;
    }
    const targets = raw === 'none' ? [] : strings(raw, ['onward', party], p);
    targets.forEach((t, i) => {
      if (!ctx.organisations.has(t) && ctx.alliances[t] === undefined) p.add(['onward', party, i], `unknown onward recipient ${t}: neither an organisation code nor an alliance (${Object.keys(ctx.alliances).join(', ')})`);
      if (t === party) p.add(['onward', party, i], `${party} may not be its own onward recipient`);
    });
    out[party] = targets;
  }
  return out;
}

const DURATION = /^(\d+)\s*([hd])$/;

function readObligations(value: unknown, p: Problems): ReadonlyArray<Obligation> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    p.add(['obligations'], 'obligations must be a list');
    return [];
  }
  const out: Obligation[] = [];
  const seen = new Map<string, number>();
  value.forEach((entry, i) => {
    const named = entry === 'attribute-source' ? entry : isRecord(entry) && Object.keys(entry).length === 1 ? Object.keys(entry)[0] : undefined;
    if (named !== undefined) {
      const first = seen.get(named);
      if (first !== undefined) return p.add(['obligations', i], `${named} is already obliged at obligations[${first}]: one obligation of each kind, or the agreement contradicts itself`);
      seen.set(named, i);
    }
    if (entry === 'attribute-source') return void out.push({ kind: 'attribute-source' });
    if (!isRecord(entry) || Object.keys(entry).length !== 1) return p.add(['obligations', i], 'an obligation is `attribute-source` or one of { acknowledge: 24h }, { report-use: 72h }, { delete-after: 365d }');
    const [kind, raw] = Object.entries(entry)[0] as [string, unknown];
    const m = typeof raw === 'string' ? DURATION.exec(raw) : null;
    const hours = m === null ? undefined : Number(m[1]) * (m[2] === 'd' ? 24 : 1);
    if (!['acknowledge', 'report-use', 'delete-after'].includes(kind)) return p.add(['obligations', i, kind], `unknown obligation "${kind}" (known: acknowledge, report-use, delete-after, attribute-source)`, true);
    if (hours === undefined || hours <= 0) return p.add(['obligations', i, kind], `"${String(raw)}" is not a duration: write hours or days, e.g. 24h or 30d`);
    if (kind === 'delete-after') out.push({ kind, days: Math.ceil(hours / 24) });
    else out.push({ kind: kind as 'acknowledge' | 'report-use', withinHours: hours });
  });
  return out;
}

function readRedactions(value: unknown, p: Problems): ReadonlyArray<RedactionRule> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    p.add(['redact'], 'redact must be a list of redaction rules');
    return [];
  }
  const out: RedactionRule[] = [];
  const seen = new Set<string>();
  value.forEach((entry, i) => {
    const [kind, arg] = typeof entry === 'string' ? [entry, undefined] : isRecord(entry) && Object.keys(entry).length === 1 ? (Object.entries(entry)[0] as [string, unknown]) : ['', undefined];
    if (seen.has(kind)) return p.add(['redact', i], `the rule ${kind} is given twice`);
    seen.add(kind);
    switch (kind) {
      case 'strip-victim-identities':
        return void out.push({ kind });
      case 'strip-custom-properties': {
        const keep = arg === undefined ? [] : isRecord(arg) ? strings(arg['keep'], ['redact', i, kind, 'keep'], p) : (p.add(['redact', i, kind], 'give { keep: [x_name, ...] } or nothing'), []);
        return void out.push({ kind, keep });
      }
      case 'strip-properties': {
        const properties = strings(arg, ['redact', i, kind], p);
        if (properties.length === 0) p.add(['redact', i, kind], 'name at least one property to strip');
        return void out.push({ kind, properties });
      }
      case 'generalise-addresses': {
        const rec = arg === undefined ? {} : isRecord(arg) ? arg : (p.add(['redact', i, kind], 'give { ipv4: 24, ipv6: 48 } or nothing'), {});
        const ipv4Prefix = prefix(rec['ipv4'], 24, 32, ['redact', i, kind, 'ipv4'], p);
        const ipv6Prefix = prefix(rec['ipv6'], 48, 128, ['redact', i, kind, 'ipv6'], p);
        return void out.push({ kind, ipv4Prefix, ipv6Prefix });
      }
      default:
        return p.add(['redact', i], `unknown redaction rule "${kind}" (known: strip-victim-identities, strip-custom-properties, strip-properties, generalise-addresses)`);
    }
  });
  return out;
}

function prefix(value: unknown, fallback: number, max: number, path: ReadonlyArray<PathStep>, p: Problems): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    p.add(path, `a prefix length from 0 to ${max} is expected`);
    return fallback;
  }
  return value;
}

/**
 * A classification as a banner spells it, when the spelling names one level of one policy: a
 * policy id then a level or alias (`NATO RESTRICTED`, `DEU VS-NfD`, any case), or a spelling of
 * that level alone (`VS-NfD`, `EU RESTRICTED`, `RESTREINT UE/EU RESTRICTED` as Entente prints it).
 * A bare `SECRET`, a level of several policies, names none.
 */
export function parseClassification(text: string, policies: ReadonlyArray<ClassificationPolicy>): Classification | undefined {
  const found = lookupClassification(lexiconOf(policies), text);
  return found.kind === 'found' ? found.classification : undefined;
}

function text(record: Record<string, unknown>, path: ReadonlyArray<PathStep>, p: Problems, required: boolean): string | undefined {
  const value = record[path[path.length - 1] as string];
  if (value === undefined) {
    if (required) p.add(path, 'is required');
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    p.add(path, 'a non-empty string is expected');
    return undefined;
  }
  return value;
}

function timestamp(value: unknown, path: ReadonlyArray<PathStep>, p: Problems, required: boolean): string | undefined {
  const v = value instanceof Date ? value.toISOString() : value;
  if (v === undefined) {
    if (required) p.add(path, 'is required (a timestamp such as 2026-01-01T00:00:00Z)');
    return undefined;
  }
  if (typeof v !== 'string' || !TIMESTAMP.test(v) || Number.isNaN(Date.parse(v))) {
    p.add(path, `"${String(v)}" is not a UTC timestamp such as 2026-01-01T00:00:00Z`);
    return undefined;
  }
  return new Date(Date.parse(v)).toISOString();
}

function strings(value: unknown, path: ReadonlyArray<PathStep>, p: Problems): ReadonlyArray<string> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    p.add(path, 'a list of strings is expected');
    return [];
  }
  const out: string[] = [];
  value.forEach((v, i) => (typeof v === 'string' && v !== '' ? out.push(v) : p.add([...path, i], 'a non-empty string is expected')));
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
