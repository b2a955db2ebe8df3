import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TelemetryReader } from './telemetry-reader.js';
import { TELEMETRY_FORMATS, type TelemetryFormat } from './types.js';

const formats: ReadonlyArray<TelemetryFormat | 'auto'> = ['auto', ...TELEMETRY_FORMATS];

/** Lines that look like sensor output, with values of the wrong types mixed in. */
const lineArb = fc.oneof(
  fc.string(),
  fc.json(),
  fc.record({ event_type: fc.constantFrom('dns', 'http', 'tls', 'fileinfo', 'alert'), timestamp: fc.oneof(fc.string(), fc.integer()), src_ip: fc.anything(), dest_port: fc.anything(), http: fc.anything(), dns: fc.anything(), tls: fc.anything(), fileinfo: fc.anything() }).map((r) => JSON.stringify(r)),
  fc.record({ _path: fc.constantFrom('conn', 'dns', 'http', 'ssl', 'files', 'x509', 'smtp'), ts: fc.oneof(fc.double(), fc.string()), 'id.orig_h': fc.anything(), answers: fc.anything(), query: fc.anything(), 'san.dns': fc.anything() }).map((r) => JSON.stringify(r)),
  fc.constantFrom('#separator \\x09', '#fields\tts\tquery\tanswers', '#types\ttime\tstring\tvector[string]', '#path\tdns', '{', '}', ']', '{"type":"bundle","objects":['),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }).map((cells) => cells.join('\t')),
);

describe('TelemetryReader on arbitrary input', () => {
  it('never throws, and counts every line as an event source, a skip or a bad line', () => {
    fc.assert(fc.property(fc.constantFrom(...formats), fc.array(lineArb, { maxLength: 30 }), (format, lines) => {
      const reader = new TelemetryReader(format);
      for (const line of lines) reader.push(line);
      reader.end();
      const { stats } = reader;
      expect(stats.lines).toBe(lines.length);
      expect(stats.bad).toBe([...stats.badByReason.values()].reduce((a, b) => a + b, 0));
      for (const bad of stats.badLines) expect(bad.line).toBeGreaterThanOrEqual(1);
    }), { numRuns: 300 });
  });
});
