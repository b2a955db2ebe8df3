import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_WARNINGLISTS, WarninglistMatcher } from '../warninglists/index.js';
import { blocklists } from './blocklist.js';
import { checkRules } from './rule-check.js';
import { selectForSensors } from './select.js';
import { suricataDatasets, suricataRules } from './suricata.js';
import { NOW, stixIndicator } from './test-builders.js';
import { zeekIntel } from './zeek-intel.js';

const warninglists = new WarninglistMatcher(BUILTIN_WARNINGLISTS);

describe('selectForSensors', () => {
  it('takes the latest version, and counts revoked, expired and inexpressible indicators with the reason', () => {
    const live = stixIndicator("[ipv4-addr:value = '185.220.101.4']");
    const newer = { ...live, modified: '2026-02-01T00:00:00.000Z', pattern: "[ipv4-addr:value = '185.220.101.5']" };
    const revoked = stixIndicator("[ipv4-addr:value = '185.220.101.6']", { revoked: true });
    const expired = stixIndicator("[ipv4-addr:value = '185.220.101.7']", { valid_until: '2026-03-01T00:00:00Z' });
    const sigma = stixIndicator('title: x', { pattern_type: 'sigma' });
    const like = stixIndicator("[domain-name:value LIKE '%.ru']");
    const broken = stixIndicator('[ipv4-addr:value = ');
    const s = selectForSensors([{ type: 'bundle', id: 'bundle--1', objects: [live, newer, revoked, expired, sigma, like, broken] }], { nowMs: NOW });
    expect(s.indicators).toEqual([{ id: live['id'], name: 'Test indicator', values: [{ type: 'ipv4', value: '185.220.101.5' }] }]);
    expect([s.revoked, s.expired]).toEqual([1, 1]);
    expect(s.notExpressible.map((n) => n.reason)).toEqual(expect.arrayContaining([
      'pattern_type sigma is not a STIX pattern', 'operator LIKE has no equivalent in a list', expect.stringMatching(/^invalid pattern: /),
    ]));
    expect(s.valuesByType.ipv4).toBe(1);
  });

  it('keeps only the types asked for, and leaves out warninglisted values with their list', () => {
    const mixed = stixIndicator("[ipv4-addr:value IN ('8.8.8.8', '185.220.101.4')] OR [domain-name:value = 'c2.badactor.ru']");
    const benign = stixIndicator("[domain-name:value = 'www.example.com']");
    const s = selectForSensors([mixed, benign], { nowMs: NOW, warninglists, types: new Set(['ipv4']) });
    expect(s.indicators.map((i) => i.values)).toEqual([[{ type: 'ipv4', value: '185.220.101.4' }]]);
    expect(s.warninglisted).toEqual([{ id: mixed['id'], value: '8.8.8.8', list: 'public-dns-resolvers' }]);
    expect(s.otherTypes).toBe(1);
    const all = selectForSensors([mixed, benign], { nowMs: NOW, warninglists });
    expect(all.warninglisted.map((w) => w.list)).toEqual(['public-dns-resolvers', 'reserved-domains']);
    expect(all.indicators).toHaveLength(1);
  });
});

/** Values an indicator may name: some benign, some not, of every exported type. */
const VALUE = fc.oneof(
  fc.ipV4().map((ip) => ({ path: 'ipv4-addr:value', value: ip })),
  fc.constantFrom('8.8.8.8', '10.1.2.3', '192.168.0.0/16', '2001:db8::5').map((ip) => ({ path: ip.includes(':') ? 'ipv6-addr:value' : 'ipv4-addr:value', value: ip })),
  fc.domain().map((d) => ({ path: 'domain-name:value', value: d })),
  fc.constantFrom('www.example.com', 'printer.local', 'update.microsoft.com').map((d) => ({ path: 'domain-name:value', value: d })),
  fc.webUrl().map((u) => ({ path: 'url:value', value: u })),
  fc.emailAddress().map((e) => ({ path: 'email-addr:value', value: e })),
  fc.stringMatching(/^[0-9a-f]{64}$/).map((h) => ({ path: "file:hashes.'SHA-256'", value: h })),
  fc.constant({ path: "file:hashes.MD5", value: 'd41d8cd98f00b204e9800998ecf8427e' }),
);
const INDICATOR = fc.record({
  values: fc.array(VALUE, { minLength: 1, maxLength: 4 }),
  status: fc.constantFrom('live', 'live', 'revoked', 'expired'),
  name: fc.string({ maxLength: 30 }),
}).map(({ values, status, name }) => ({
  status,
  object: stixIndicator(values.map((v) => `[${v.path} = '${v.value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`).join(' OR '), {
    name, ...(status === 'revoked' ? { revoked: true } : {}), ...(status === 'expired' ? { valid_until: '2026-02-01T00:00:00Z' } : {}),
  }),
}));

describe('what reaches sensors', () => {
  it('comes only from live indicators, never holds a warninglisted value, and parses as Suricata rules', () => {
    fc.assert(fc.property(fc.array(INDICATOR, { maxLength: 12 }), (generated) => {
      const s = selectForSensors(generated.map((g) => g.object), { nowMs: NOW, warninglists });
      const live = new Set(generated.filter((g) => g.status === 'live').map((g) => g.object['id']));
      for (const i of s.indicators) {
        expect(live.has(i.id)).toBe(true);
        for (const v of i.values) {
          const type = v.type === 'ipv4' || (v.type === 'cidr' && !v.value.includes(':')) ? 'ipv4-addr' : v.type === 'ipv6' || v.type === 'cidr' ? 'ipv6-addr'
            : v.type === 'domain' ? 'domain-name' : v.type === 'url' ? 'url' : v.type === 'email' ? 'email-addr' : 'file-hash';
          expect(warninglists.match(type, v.value)).toBeUndefined();
        }
      }
      const exported = new Set(s.indicators.flatMap((i) => i.values.map((v) => v.value)));
      for (const file of blocklists(s.indicators).files) for (const line of file.content.split('\n')) if (line !== '') expect(exported.has(line)).toBe(true);
      for (const w of s.warninglisted) {
        const listedElsewhere = s.indicators.some((i) => i.values.some((v) => v.value === w.value));
        expect(listedElsewhere).toBe(false);
      }
      for (const rules of [suricataRules(s.indicators), suricataDatasets(s.indicators)]) {
        expect(checkRules(rules.files[0]?.content ?? '').problems).toEqual([]);
      }
      const zeek = zeekIntel(s.indicators).files[0]?.content ?? '';
      for (const line of zeek.split('\n').slice(1)) if (line !== '') expect(line.split('\t')).toHaveLength(5);
    }), { numRuns: 150 });
  });
});
