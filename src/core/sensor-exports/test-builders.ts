/** Indicators for the sensor export tests; defaults are valid STIX 2.1 and live. */
let counter = 0;

export function indicatorId(): string {
  counter += 1;
  return `indicator--10000000-0000-4000-8000-${counter.toString(16).padStart(12, '0')}`;
}

export function stixIndicator(pattern: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator', spec_version: '2.1', id: indicatorId(), created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z',
    name: 'Test indicator', pattern, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00.000Z', ...overrides,
  };
}

/** 2026-06-01, when the test indicators are live. */
export const NOW = Date.parse('2026-06-01T00:00:00Z');
