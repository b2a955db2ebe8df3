export { IntelService, DEFAULT_PAGE_SIZES, type IntelServiceDeps, type IngestOptions, type IngestReport, type PageSizes, type SearchInput, type ExportFilters } from './intel-service.js';
export { statusFromReport } from './status-resource.js';
export { versionKey } from './ingest-plan.js';
export type { IngestOutcome, ObjectResult } from './ingest-plan.js';
export type { LabelGate, LabelVerdict } from './label-gate.js';
export { parseTaxiiFilters, ENDPOINT_FILTERS, type ObjectFilters, type FilterParameter } from './taxii-filters.js';
