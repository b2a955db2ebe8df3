import { describe, expect, it } from 'vitest';
import { PatternIndex } from '../pattern/index.js';
import { ecsField, normaliseEcs } from './ecs.js';

const nested = {
  '@timestamp': '2024-05-01T10:00:00.123Z',
  event: { dataset: 'email', start: '2024-05-01T09:59:00Z' },
  source: { ip: '198.51.100.7', port: 25000 },
  destination: { ip: '203.0.113.5', port: 25, domain: 'MX.Example.org' },
  network: { transport: 'tcp', protocol: 'smtp' },
  email: { from: { address: ['mallory@bad.example'] }, to: { address: ['alice@example.org'] } },
  file: { name: 'invoice.pdf.exe', hash: { sha256: 'AEC070645FE53EE3B3763059376134F058CC337247C978ADD178B6CCDFB0019F' } },
};

function matches(doc: Record<string, unknown>, pattern: string): boolean {
  const outcome = normaliseEcs(doc, 7);
  if (outcome.kind !== 'events') throw new Error(`no event: ${JSON.stringify(outcome)}`);
  const index = new PatternIndex();
  index.add('indicator--x', pattern);
  const [event] = outcome.events;
  return event !== undefined && index.match(event.observation).length === 1;
}

describe('ECS normaliser', () => {
  it('finds fields nested, flattened, or half of each', () => {
    expect(ecsField(nested, 'email.from.address')).toEqual(['mallory@bad.example']);
    expect(ecsField({ 'source.ip': '10.0.0.1' }, 'source.ip')).toBe('10.0.0.1');
    expect(ecsField({ dns: { 'question.name': 'a.example' } }, 'dns.question.name')).toBe('a.example');
    expect(ecsField(nested, 'source.mac')).toBeUndefined();
  });

  it('reads addresses, mail, file hashes and the domain from a nested document', () => {
    expect(matches(nested, "[email-addr:value = 'mallory@bad.example']")).toBe(true);
    expect(matches(nested, "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:name = 'invoice.pdf.exe']")).toBe(true);
    expect(matches(nested, "[network-traffic:dst_ref.value = '203.0.113.5' AND network-traffic:dst_port = 25 AND network-traffic:protocols[*] = 'smtp']")).toBe(true);
    expect(matches(nested, "[domain-name:value = 'mx.example.org']")).toBe(true);
    expect(matches(nested, "[email-addr:value = 'bob@example.org']")).toBe(false);
  });

  it('spans the observation from event.start to @timestamp', () => {
    const outcome = normaliseEcs(nested, 1);
    const observation = outcome.kind === 'events' ? outcome.events[0]?.observation : undefined;
    expect(observation?.firstObserved).toBe(Date.parse('2024-05-01T09:59:00Z'));
    expect(observation?.lastObserved).toBe(Date.parse('2024-05-01T10:00:00.123Z'));
  });

  it('says which line has an unreadable timestamp, and skips documents with nothing observable', () => {
    expect(normaliseEcs({ '@timestamp': 'last tuesday', 'source.ip': '10.0.0.1' }, 4)).toEqual({ kind: 'bad', line: 4, reason: 'ecs: @timestamp is not ISO 8601' });
    expect(normaliseEcs({ '@timestamp': '2024-05-01T10:00:00Z', message: 'hello' }, 5).kind).toBe('skipped');
  });
});
