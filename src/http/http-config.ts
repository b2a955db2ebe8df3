/** One TAXII API root (TAXII 2.1 section 4.2), served at `/taxii2/<name>/`. */
export interface ApiRootConfig {
  /** The URL segment: letters, digits, `-`, `_`, `.`. */
  readonly name: string;
  readonly title: string;
  readonly description?: string;
}

/** HTTPS material: PEM contents (read by the composition root) or the paths of the PEM files. */
export type HttpsConfig =
  | { readonly cert: string | Buffer; readonly key: string | Buffer }
  | { readonly certFile: string; readonly keyFile: string };

/** What the HTTP interface needs to know; the composition root builds it from the node's configuration. */
export interface HttpConfig {
  /** TAXII discovery `title` (section 4.1). */
  readonly title: string;
  readonly description?: string;
  readonly contact?: string;
  /** Default: one root named `default`. The first is the discovery `default`. */
  readonly apiRoots?: ReadonlyArray<ApiRootConfig>;
  /** Largest accepted request body in bytes, the API roots' `max_content_length`; 10 MiB by default. */
  readonly maxContentLength?: number;
  /** Deepest JSON nesting accepted in a body; 64 by default. */
  readonly maxJsonDepth?: number;
  /** TAXII `limit` when the client gives none, and the ceiling any `limit` is clamped to. */
  readonly pageSize?: { readonly default: number; readonly max: number };
  /**
   * How a TAXII POST treats an envelope holding invalid objects: `atomic` (default) stores none of
   * it, `partial` stores the valid ones. The status resource tells the truth either way.
   */
  readonly postMode?: 'atomic' | 'partial';
  /** The externally visible base URL (`https://taxii.example.org`) when behind a proxy; else taken from the request. */
  readonly publicUrl?: string;
  /** Trust `X-Forwarded-*` headers (only behind a proxy you run). */
  readonly trustProxy?: boolean;
  /** When set, TAXII errors carry `external_details` = this URL + `#` + the lower-case code. */
  readonly errorDocsUrl?: string;
  readonly https?: HttpsConfig;
}

export interface ResolvedHttpConfig extends HttpConfig {
  readonly apiRoots: ReadonlyArray<ApiRootConfig>;
  readonly maxContentLength: number;
  readonly maxJsonDepth: number;
  readonly pageSize: { readonly default: number; readonly max: number };
  readonly postMode: 'atomic' | 'partial';
}

export const DEFAULT_MAX_CONTENT_LENGTH = 10 * 1024 * 1024;

/** Fills in the defaults. */
export function resolveHttpConfig(config: HttpConfig): ResolvedHttpConfig {
  return {
    ...config,
    apiRoots: config.apiRoots !== undefined && config.apiRoots.length > 0 ? config.apiRoots : [{ name: 'default', title: 'Default API root' }],
    maxContentLength: config.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH,
    maxJsonDepth: config.maxJsonDepth ?? 64,
    pageSize: config.pageSize ?? { default: 1000, max: 10_000 },
    postMode: config.postMode ?? 'atomic',
  };
}
