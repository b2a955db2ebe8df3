export { buildHttpApp, type HttpDeps } from './app.js';
export { resolveHttpConfig, DEFAULT_MAX_CONTENT_LENGTH, type HttpConfig, type ApiRootConfig, type HttpsConfig, type ResolvedHttpConfig } from './http-config.js';
export { requirePrincipal, requireAuth, isAdminRequest, WWW_AUTHENTICATE } from './plugins/auth-plugin.js';
export { toEntenteError } from './plugins/error-mapping.js';
export { TAXII_21, STIX_21, negotiate } from './plugins/media-type.js';
export { TAXII_PREFIX, isTaxiiUrl } from './taxii/taxii-plugin.js';
