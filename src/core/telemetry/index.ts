/**
 * Telemetry normalisers: sensor logs (Suricata EVE, Zeek JSON and TSV, ECS, STIX observed-data)
 * turned into the observations the pattern engine matches (see docs/detection.md).
 */
export type { LineDecoder, LineOutcome, TelemetryEvent, TelemetryFormat } from './types.js';
export { TELEMETRY_FORMATS } from './types.js';
export { TelemetryReader, decoderFor, reasonKey, type BadLine, type ReaderOptions, type ReaderStats } from './telemetry-reader.js';
export { detectFormat } from './detect-format.js';
export { summarise } from './observation-builder.js';
export { parseEventTime } from './event-time.js';
export { selectIndicators, type IndicatorSelection } from './indicators.js';
