import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { EntenteError } from '../core/errors.js';
import { environmentLayer, resolveConfig, setPath, type NodeConfig } from './node-config.js';

export const CONFIG_FILE_NAME = 'entente.yaml';

export interface LoadOptions {
  /** An explicit configuration file; otherwise `<dataDir>/entente.yaml` when it exists. */
  readonly configFile?: string;
  /** Settings given as command-line flags, by dotted key (`http.port`). */
  readonly flags?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}

/**
 * Reads the configuration: defaults, then the YAML file, then `ENTENTE_*` environment variables,
 * then command-line flags. Relative paths are resolved against the working directory (the data
 * dir) or the data dir (files inside it).
 */
export function loadConfig(options: LoadOptions = {}): NodeConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const flagLayer: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.flags ?? {})) if (value !== undefined) setPath(flagLayer, key, value);
  const envLayer = environmentLayer(env);

  // The data dir decides where the default config file is, so resolve it first.
  const dataDirHint = (flagLayer['dataDir'] as string | undefined) ?? (envLayer['dataDir'] as string | undefined) ?? 'data';
  const dataDir = resolve(cwd, dataDirHint);
  const file = options.configFile !== undefined ? resolve(cwd, options.configFile) : join(dataDir, CONFIG_FILE_NAME);
  const layers: { source: string; values: Record<string, unknown> }[] = [];
  if (options.configFile !== undefined || existsSync(file)) layers.push({ source: file, values: readConfigFile(file) });
  layers.push({ source: 'environment', values: envLayer }, { source: 'command line', values: flagLayer });

  const config = resolveConfig(layers);
  const absoluteDataDir = resolve(cwd, config.dataDir);
  const inDataDir = (p: string): string => (isAbsolute(p) ? p : join(absoluteDataDir, p));
  return {
    ...config,
    dataDir: absoluteDataDir,
    database: { ...config.database, sqliteFile: inDataDir(config.database.sqliteFile) },
    http: {
      ...config.http,
      ...(config.http.tlsCertFile !== undefined ? { tlsCertFile: resolve(cwd, config.http.tlsCertFile) } : {}),
      ...(config.http.tlsKeyFile !== undefined ? { tlsKeyFile: resolve(cwd, config.http.tlsKeyFile) } : {}),
    },
  };
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EntenteError('ENTENTE_CONFIG_INVALID', `Cannot read configuration file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const pos = error.linePos?.[0];
      const where = pos ? `line ${pos.line}, column ${pos.col}` : 'unknown position';
      throw new EntenteError('ENTENTE_CONFIG_INVALID', `${file}: ${where}: ${error.message.split('\n')[0]}`, [{ path: where, message: error.message }]);
    }
    throw error;
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new EntenteError('ENTENTE_CONFIG_INVALID', `${file}: the configuration must be a mapping of settings`);
  }
  return value as Record<string, unknown>;
}
