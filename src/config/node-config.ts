import { EntenteError } from '../core/errors.js';

/** The whole configuration of a node, after defaults, file, environment and flags are merged. */
export interface NodeConfig {
  readonly dataDir: string;
  readonly node: {
    readonly name: string;
    /** Code of this node's own organisation in agreements (`DEU`, `CERT-EU`). */
    readonly organisation: string;
    /** ISO 3166-1 alpha-3 trigraph of the node's country: the nationality of its users by default, and NOFORN's meaning. */
    readonly country: string;
    readonly kind: string;
  };
  readonly policy: {
    /** Banner of the label applied to objects that carry no marking. */
    readonly defaultLabel: string;
    /** Record this node's own users' reads in the decision log too (peers' always are). */
    readonly logLocalReads: boolean;
  };
  readonly http: {
    readonly host: string;
    readonly port: number;
    /** PEM files; when both are set the node serves HTTPS only. */
    readonly tlsCertFile?: string;
    readonly tlsKeyFile?: string;
    /** Whether `/metrics` needs authentication (an admin). */
    readonly metricsAuth: boolean;
    /** Processes serving HTTP (`entente start`): 1 serves from the node's own process. */
    readonly workers: number;
  };
  readonly database: {
    /** A `postgres://` URL selects the PostgreSQL adapter; absent means SQLite under the data dir. */
    readonly url?: string;
    /** The PostgreSQL schema holding Entente's tables (several nodes may share one database). */
    readonly schema?: string;
    readonly sqliteFile: string;
    readonly poolSize: number;
  };
  readonly taxii: {
    readonly title: string;
    readonly description: string;
    readonly contact: string;
    readonly maxContentLength: number;
    readonly defaultPageSize: number;
    readonly maxPageSize: number;
    /** A TAXII POST envelope with invalid objects: nothing stored (`atomic`) or the valid ones (`partial`). */
    readonly postMode: 'atomic' | 'partial';
  };
  readonly bus: {
    /** A `nats://` URL selects NATS JetStream; absent means the in-process bus. */
    readonly url?: string;
    /** The JetStream stream holding this node's subjects (`<stream in lower case>.>`). */
    readonly stream: string;
  };
  readonly federation: {
    /**
     * Seconds each push round (and pull) looks back before the last `date_added` it handled, for
     * writes that committed late; what it already handled there is skipped, not resent.
     */
    readonly resendWindowSeconds: number;
  };
  readonly log: { readonly level: string };
}

/** Each environment variable and the setting it overrides. */
export const ENVIRONMENT_VARIABLES = {
  ENTENTE_DATA_DIR: 'dataDir',
  ENTENTE_NODE_NAME: 'node.name',
  ENTENTE_ORGANISATION: 'node.organisation',
  ENTENTE_COUNTRY: 'node.country',
  ENTENTE_DEFAULT_LABEL: 'policy.defaultLabel',
  ENTENTE_HOST: 'http.host',
  ENTENTE_PORT: 'http.port',
  ENTENTE_HTTP_WORKERS: 'http.workers',
  ENTENTE_TLS_CERT: 'http.tlsCertFile',
  ENTENTE_TLS_KEY: 'http.tlsKeyFile',
  ENTENTE_METRICS_AUTH: 'http.metricsAuth',
  ENTENTE_DATABASE_URL: 'database.url',
  ENTENTE_DATABASE_SCHEMA: 'database.schema',
  ENTENTE_DB_POOL_SIZE: 'database.poolSize',
  ENTENTE_MAX_CONTENT_LENGTH: 'taxii.maxContentLength',
  ENTENTE_TAXII_POST_MODE: 'taxii.postMode',
  ENTENTE_BUS_URL: 'bus.url',
  ENTENTE_BUS_STREAM: 'bus.stream',
  ENTENTE_RESEND_WINDOW: 'federation.resendWindow',
  ENTENTE_LOG_LEVEL: 'log.level',
} as const;

/** Every setting a file, the environment or a flag may give. */
export const SETTINGS = [
  'dataDir', 'node.name', 'node.organisation', 'node.country', 'node.kind', 'policy.defaultLabel', 'policy.logLocalReads',
  'http.host', 'http.port', 'http.tlsCertFile', 'http.tlsKeyFile', 'http.metricsAuth', 'http.workers',
  'database.url', 'database.schema', 'database.sqliteFile', 'database.poolSize',
  'taxii.title', 'taxii.description', 'taxii.contact', 'taxii.maxContentLength', 'taxii.defaultPageSize', 'taxii.maxPageSize', 'taxii.postMode',
  'bus.url', 'bus.stream',
  'federation.resendWindow',
  'log.level',
] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Raw = Record<string, unknown>;

/**
 * Merges configuration layers (later wins) and checks every value, naming the setting and the
 * layer it came from when one is wrong. Pure: the caller reads files and the environment.
 */
export function resolveConfig(layers: ReadonlyArray<{ readonly source: string; readonly values: Raw }>): NodeConfig {
  const merged: Raw = {};
  const origin = new Map<string, string>();
  for (const layer of layers) mergeInto(merged, layer.values, '', layer.source, origin);
  for (const [key, from] of origin) {
    if (!(SETTINGS as ReadonlyArray<string>).includes(key)) {
      throw new EntenteError('ENTENTE_CONFIG_INVALID', `Unknown setting ${key} (from ${from}); known settings: ${SETTINGS.join(', ')}`, [
        { path: key, message: 'unknown setting' },
      ]);
    }
  }

  const read = (key: string): unknown => key.split('.').reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), merged);
  const fail = (key: string, expected: string): never => {
    const from = origin.get(key) ?? 'defaults';
    throw new EntenteError('ENTENTE_CONFIG_INVALID', `Setting ${key} (from ${from}) must be ${expected}; got ${JSON.stringify(read(key))}`, [
      { path: key, message: `must be ${expected}` },
    ]);
  };
  const str = (key: string, fallback?: string): string => {
    const value = read(key) ?? fallback;
    if (typeof value !== 'string' || value === '') return fail(key, 'a non-empty string');
    return value;
  };
  const optStr = (key: string): string | undefined => {
    const value = read(key);
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') return fail(key, 'a string');
    return value;
  };
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const raw = read(key) ?? fallback;
    const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return fail(key, `an integer from ${min} to ${max}`);
    }
    return value;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const raw = read(key) ?? fallback;
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    return fail(key, 'true or false');
  };

  const dataDir = str('dataDir', 'data');
  const url = optStr('database.url');
  if (url !== undefined && !/^postgres(ql)?:\/\//.test(url)) fail('database.url', 'a postgres:// or postgresql:// URL');
  const schema = optStr('database.schema');
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) fail('database.schema', 'a lower-case SQL identifier (letters, digits, _)');
  const tlsCertFile = optStr('http.tlsCertFile');
  const tlsKeyFile = optStr('http.tlsKeyFile');
  if ((tlsCertFile === undefined) !== (tlsKeyFile === undefined)) {
    fail(tlsCertFile === undefined ? 'http.tlsCertFile' : 'http.tlsKeyFile', 'set together with the other TLS file');
  }
  const busUrl = optStr('bus.url');
  if (busUrl !== undefined && !busUrl.split(',').every((u) => /^nats:\/\/[^\s/]+$/.test(u.trim()))) fail('bus.url', 'a nats://host:port URL (several separated by commas)');
  const busStream = str('bus.stream', 'ENTENTE');
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(busStream)) fail('bus.stream', 'a stream name: 1 to 64 letters, digits, _ or -');
  const level = str('log.level', 'info');
  if (!LOG_LEVELS.includes(level)) fail('log.level', `one of ${LOG_LEVELS.join(', ')}`);
  const maxPageSize = int('taxii.maxPageSize', 10_000, 1, 100_000);
  const postModeText = str('taxii.postMode', 'atomic');
  const postMode = postModeText === 'partial' ? 'partial' : 'atomic';
  if (postModeText !== postMode) fail('taxii.postMode', 'atomic or partial');
  const organisation = str('node.organisation', 'LOCAL');
  if (!/^[A-Z0-9][A-Z0-9-]{1,31}$/.test(organisation)) fail('node.organisation', 'an organisation code: upper-case letters, digits and -');
  // XXX is the ICAO code for an unspecified nationality: a node that names no country shares nothing under NOFORN.
  const country = str('node.country', 'XXX');
  if (!/^[A-Z]{3}$/.test(country)) fail('node.country', 'an ISO 3166-1 alpha-3 trigraph such as DEU');

  return {
    dataDir,
    node: {
      name: str('node.name', 'entente'),
      organisation: organisation,
      country,
      kind: str('node.kind', 'agency'),
    },
    policy: { defaultLabel: str('policy.defaultLabel', 'TLP:AMBER'), logLocalReads: bool('policy.logLocalReads', false) },
    http: {
      host: str('http.host', '127.0.0.1'),
      port: int('http.port', 8080, 0, 65_535),
      ...(tlsCertFile !== undefined ? { tlsCertFile } : {}),
      ...(tlsKeyFile !== undefined ? { tlsKeyFile } : {}),
      metricsAuth: bool('http.metricsAuth', false),
      workers: int('http.workers', 1, 1, 64),
    },
    database: {
      ...(url !== undefined ? { url } : {}),
      ...(schema !== undefined ? { schema } : {}),
      sqliteFile: str('database.sqliteFile', 'entente.db'),
      poolSize: int('database.poolSize', 10, 1, 1_000),
    },
    taxii: {
      title: str('taxii.title', 'Entente TAXII 2.1 server'),
      description: str('taxii.description', 'Cyber threat intelligence shared under coalition agreements'),
      contact: str('taxii.contact', 'cert@example.org'),
      maxContentLength: int('taxii.maxContentLength', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      defaultPageSize: int('taxii.defaultPageSize', 1_000, 1, maxPageSize),
      maxPageSize,
      postMode,
    },
    bus: { ...(busUrl !== undefined ? { url: busUrl } : {}), stream: busStream },
    federation: { resendWindowSeconds: int('federation.resendWindow', 60, 1, 86_400) },
    log: { level },
  };
}

/** Turns environment variables into a configuration layer. */
export function environmentLayer(env: Readonly<Record<string, string | undefined>>): Raw {
  const values: Raw = {};
  for (const [name, key] of Object.entries(ENVIRONMENT_VARIABLES)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(values, key, value);
  }
  return values;
}

export function setPath(target: Raw, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node[part] = isRecord(next) ? next : {};
    node = node[part] as Raw;
  }
  node[parts[parts.length - 1] as string] = value;
}

function mergeInto(target: Raw, source: Raw, prefix: string, layer: string, origin: Map<string, string>): void {
  for (const [key, value] of Object.entries(source)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isRecord(value)) {
      const existing = target[key];
      const child: Raw = isRecord(existing) ? existing : {};
      target[key] = child;
      mergeInto(child, value, path, layer, origin);
    } else if (value !== undefined) {
      target[key] = value;
      origin.set(path, layer);
    }
  }
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
