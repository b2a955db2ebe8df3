export { createMetrics, renderAcrossProcesses, type EntenteMetrics, type MetricsOptions, type CountSource, type IngestOutcome } from './metrics.js';
export { metricsHooksPlugin, defaultTaxiiEndpoint, type MetricsHooksOptions } from './metrics-hooks.js';
export { opsRoutes, type OpsRoutesOptions } from './ops-routes.js';
export { checkHealth, type Health, type HealthCheck, type PingSource } from './health.js';
export { instrumentIntel } from './instrument-intel.js';
