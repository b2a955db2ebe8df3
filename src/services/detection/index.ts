/** The detection service mode: telemetry from the Bus matched against indicators kept current from the change feed. */
export { DetectionService, type DetectionMatch, type DetectionServiceDeps, type DetectionStats, type IndicatorSource } from './detection-service.js';
export { LiveIndicators, type IndexChange } from './live-indicators.js';
