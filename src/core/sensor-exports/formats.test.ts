import { describe, expect, it } from 'vitest';
import { blocklists } from './blocklist.js';
import { checkRules } from './rule-check.js';
import { suricataDatasets, suricataRules } from './suricata.js';
import { allocateSids, contentString, messageString } from './suricata-text.js';
import type { SensorIndicator } from './types.js';
import { zeekIntel } from './zeek-intel.js';

const IP_ID = 'indicator--a0000000-0000-4000-8000-000000000001';
const DOMAIN_ID = 'indicator--a0000000-0000-4000-8000-000000000002';
const URL_ID = 'indicator--a0000000-0000-4000-8000-000000000003';
const HASH_ID = 'indicator--a0000000-0000-4000-8000-000000000004';
const MAIL_ID = 'indicator--a0000000-0000-4000-8000-000000000005';
const SHA256 = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

const indicators: SensorIndicator[] = [
  { id: IP_ID, name: 'Tor exit relay', values: [{ type: 'ipv4', value: '185.220.101.4' }, { type: 'cidr', value: '45.9.148.0/24' }, { type: 'ipv6', value: '2a0b:f4c2::1' }] },
  { id: DOMAIN_ID, name: 'C2 domain', values: [{ type: 'domain', value: 'c2.badactor.ru' }] },
  { id: URL_ID, name: 'Dropper "gate"; stage 2', values: [{ type: 'url', value: 'http://Update-Check.xyz:8080/gate.php?id=1;x#frag' }] },
  { id: HASH_ID, name: 'Loader', values: [{ type: 'sha256', value: SHA256 }, { type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' }] },
  { id: MAIL_ID, name: 'Phishing sender', values: [{ type: 'email', value: 'boss@phish.example' }] },
];

/** Rule lines with the sid masked, for comparison with the expected text. */
function masked(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).map((l) => l.replace(/sid:\d+;/, 'sid:N;'));
}

describe('Suricata rules, one per indicator', () => {
  const out = suricataRules(indicators, { sids: { base: 3_000_000, size: 100_000 } });
  const rules = out.files.find((f) => f.name === 'entente.rules')?.content ?? '';

  it('writes the header, buffers and options the Suricata user guide describes', () => {
    const lines = masked(rules);
    expect(lines).toContain(`alert ip any any <> [185.220.101.4,45.9.148.0/24,2a0b:f4c2::1] any (msg:"ENTENTE Tor exit relay [${IP_ID}]"; metadata:stix_id ${IP_ID}, entente_type address; sid:N; rev:1;)`);
    expect(lines).toContain(`alert dns any any -> any any (msg:"ENTENTE C2 domain (DNS query c2.badactor.ru) [${DOMAIN_ID}]"; dns.query; content:"c2.badactor.ru"; nocase; startswith; endswith; metadata:stix_id ${DOMAIN_ID}, entente_type domain; sid:N; rev:1;)`);
    expect(lines).toContain(`alert tls any any -> any any (msg:"ENTENTE C2 domain (TLS SNI c2.badactor.ru) [${DOMAIN_ID}]"; tls.sni; content:"c2.badactor.ru"; nocase; startswith; endswith; metadata:stix_id ${DOMAIN_ID}, entente_type domain; sid:N; rev:1;)`);
    expect(lines).toContain(`alert http any any -> any any (msg:"ENTENTE C2 domain (HTTP Host c2.badactor.ru) [${DOMAIN_ID}]"; http.host; content:"c2.badactor.ru"; startswith; endswith; metadata:stix_id ${DOMAIN_ID}, entente_type domain; sid:N; rev:1;)`);
    // The ; of the query and the quotes of the name are escaped; the port and fragment are not sent in the request.
    expect(lines).toContain(`alert http any any -> any any (msg:"ENTENTE Dropper \\"gate\\"\\; stage 2 (URL) [${URL_ID}]"; http.host; content:"update-check.xyz"; startswith; endswith; http.uri.raw; content:"/gate.php?id=1|3B|x"; startswith; endswith; metadata:stix_id ${URL_ID}, entente_type url; sid:N; rev:1;)`);
    expect(lines).toContain('alert http any any -> any any (msg:"ENTENTE file SHA256 on the indicator list (http, see entente-sha256.list)"; filesha256:entente-sha256.list; metadata:entente_list entente-sha256.list; sid:N; rev:1;)');
    expect(lines.filter((l) => l.includes('filemd5:entente-md5.list;')).map((l) => l.split(' ')[1])).toEqual(['http', 'smtp', 'ftp-data', 'smb']);
    expect(out.rules).toBe(lines.length);
  });

  it('writes the hash lists in the md5sum layout, with the indicator after each hash', () => {
    expect(out.files.find((f) => f.name === 'entente-sha256.list')?.content).toBe(`${SHA256}  ${HASH_ID}\n`);
    expect(out.files.find((f) => f.name === 'entente-md5.list')?.content).toBe(`44d88612fea8a8f36de82e1278abb02f  ${HASH_ID}\n`);
  });

  it('parses back, with unique sids in the range, the same from one export to the next', () => {
    const { rules: parsed, problems } = checkRules(rules);
    expect(problems).toEqual([]);
    const sids = parsed.map((r) => Number(r.options.find((o) => o.name === 'sid')?.value));
    expect(new Set(sids).size).toBe(sids.length);
    expect(sids.every((s) => s >= 3_000_000 && s < 3_100_000)).toBe(true);
    // Another indicator added does not move the sids of the first ones (no collision here).
    const again = suricataRules([...indicators, { id: 'indicator--b0000000-0000-4000-8000-000000000009', name: 'x', values: [{ type: 'ipv4', value: '5.6.7.8' }] }], { sids: { base: 3_000_000, size: 100_000 } });
    const first = rules.split('\n').find((l) => l.startsWith('alert ip'));
    expect(again.files[0]?.content.split('\n')).toContain(first);
  });

  it('counts what Suricata rules cannot carry', () => {
    expect(out.unsupported).toEqual({ email: 1 });
  });
});

describe('Suricata datasets', () => {
  const out = suricataDatasets(indicators);
  const file = (name: string): string | undefined => out.files.find((f) => f.name === name)?.content;

  it('puts addresses in a dataset of type ip and domains base64-encoded in one of type string', () => {
    expect(file('entente-ip.lst')).toBe('185.220.101.4\n2a0b:f4c2::1\n');
    expect(file('entente-domain.lst')).toBe('YzIuYmFkYWN0b3IucnU=\n');
    const lines = masked(file('entente.rules') ?? '');
    expect(lines).toContain('alert ip any any -> any any (msg:"ENTENTE destination address in the entente-ip dataset"; ip.dst; dataset:isset,entente-ip,type ip,load entente-ip.lst; metadata:entente_dataset entente-ip; sid:N; rev:1;)');
    expect(lines).toContain('alert ip any any -> any any (msg:"ENTENTE source address in the entente-ip dataset"; ip.src; dataset:isset,entente-ip,type ip,load entente-ip.lst; metadata:entente_dataset entente-ip; sid:N; rev:1;)');
    expect(lines).toContain('alert dns any any -> any any (msg:"ENTENTE DNS query in the entente-domain dataset"; dns.query; dataset:isset,entente-domain,type string,load entente-domain.lst; metadata:entente_dataset entente-domain; sid:N; rev:1;)');
    // A block is not an address: it keeps a rule of its own.
    expect(lines).toContain(`alert ip any any <> [45.9.148.0/24] any (msg:"ENTENTE Tor exit relay [${IP_ID}]"; metadata:stix_id ${IP_ID}, entente_type address; sid:N; rev:1;)`);
    expect(checkRules(file('entente.rules') ?? '').problems).toEqual([]);
  });

  it('keeps an index from each dataset line back to its indicators', () => {
    expect(file('entente-datasets.tsv')).toBe(`#dataset\tline\tvalue\tindicators\nentente-ip\t185.220.101.4\t185.220.101.4\t${IP_ID}\nentente-ip\t2a0b:f4c2::1\t2a0b:f4c2::1\t${IP_ID}\nentente-domain\tYzIuYmFkYWN0b3IucnU=\tc2.badactor.ru\t${DOMAIN_ID}\n`);
  });
});

describe('Zeek Intel file', () => {
  it('writes the #fields header and one tab-separated item per value, with Zeek type names', () => {
    const out = zeekIntel([...indicators, { id: IP_ID, name: 'Again\twith a tab', values: [{ type: 'ipv4', value: '185.220.101.4' }] }], { source: 'entente-deu' });
    expect(out.files[0]?.name).toBe('entente.intel');
    expect(out.files[0]?.content).toBe([
      '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url',
      `185.220.101.4\tIntel::ADDR\tentente-deu\tTor exit relay [${IP_ID}]\t-`,
      `45.9.148.0/24\tIntel::SUBNET\tentente-deu\tTor exit relay [${IP_ID}]\t-`,
      `2a0b:f4c2::1\tIntel::ADDR\tentente-deu\tTor exit relay [${IP_ID}]\t-`,
      `c2.badactor.ru\tIntel::DOMAIN\tentente-deu\tC2 domain [${DOMAIN_ID}]\t-`,
      `Update-Check.xyz:8080/gate.php?id=1;x#frag\tIntel::URL\tentente-deu\tDropper "gate"; stage 2 [${URL_ID}]\t-`,
      `${SHA256}\tIntel::FILE_HASH\tentente-deu\tLoader [${HASH_ID}]\t-`,
      `44d88612fea8a8f36de82e1278abb02f\tIntel::FILE_HASH\tentente-deu\tLoader [${HASH_ID}]\t-`,
      `boss@phish.example\tIntel::EMAIL\tentente-deu\tPhishing sender [${MAIL_ID}]\t-`,
      '',
    ].join('\n'));
  });

  it('links each item to its indicator when given a URL prefix', () => {
    const out = zeekIntel([indicators[1] as SensorIndicator], { urlPrefix: 'https://cti.example/indicators/' });
    expect(out.files[0]?.content.split('\n')[1]).toBe(`c2.badactor.ru\tIntel::DOMAIN\tentente\tC2 domain [${DOMAIN_ID}]\thttps://cti.example/indicators/${DOMAIN_ID}`);
  });
});

describe('blocklists', () => {
  it('write one sorted file per type, empty ones included', () => {
    const out = blocklists([...indicators, { id: 'indicator--x', name: 'x', values: [{ type: 'ipv4', value: '1.2.3.4' }, { type: 'ipv4', value: '185.220.101.4' }] }], ['ipv4', 'domain', 'sha1']);
    expect(out.files).toEqual([
      { name: 'ipv4.txt', content: '1.2.3.4\n185.220.101.4\n' },
      { name: 'domain.txt', content: 'c2.badactor.ru\n' },
      { name: 'sha1.txt', content: '' },
    ]);
  });
});

describe('rule text', () => {
  it('escapes content bytes with meaning in hex, and msg with backslashes', () => {
    expect(contentString('a;b"c\\d|e')).toBe('"a|3B|b|22|c|5C|d|7C|e"');
    expect(contentString('bücher.de')).toBe('"b|C3 BC|cher.de"');
    expect(messageString('a "b"; c\\d\ne')).toBe('"a \\"b\\"\\; c\\\\d e"');
  });

  it('gives distinct sids even when keys collide in the range', () => {
    const sids = allocateSids(['a', 'b', 'c', 'd', 'e'], { base: 10, size: 5 });
    expect([...sids.values()].sort()).toEqual([10, 11, 12, 13, 14]);
    expect(() => allocateSids(['a', 'b'], { base: 1, size: 1 })).toThrow(RangeError);
  });

  it('finds what is wrong in a rule', () => {
    const { problems } = checkRules([
      'alert ip any any -> any any (msg:"ok"; sid:1; rev:1;)',
      'alert ip any any -> any any (msg:"dup"; sid:1; rev:1;)',
      'alert tcp 999.1.1.1 any -> any any (msg:"x"; sid:2; rev:1;)',
      'alert dns any any -> any any (msg:"x"; content:"a;b"; sid:3; rev:1;)',
      'warn ip any any -> any any (msg:"x"; sid:4; rev:1;)',
      'alert ip any any -> any any (msg:"x"; sid:5)',
    ].join('\n'));
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, 'sid 1 already used on line 1'], [3, 'bad address'], [4, 'bad content "a;b"'], [5, 'unknown action warn'],
      [6, 'options are not a list of name[:value]; with balanced quotes'],
    ]);
  });
});
