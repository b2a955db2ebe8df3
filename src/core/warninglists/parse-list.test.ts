import { describe, expect, it } from 'vitest';
import { isEntenteError } from '../errors.js';
import { WarninglistMatcher } from './matcher.js';
import { parseWarninglists } from './parse-list.js';

function problems(text: string): Array<{ path?: string; message: string }> {
  try {
    parseWarninglists(text, 'lists.json');
  } catch (error) {
    if (isEntenteError(error)) return [...error.details];
    throw error;
  }
  return [];
}

describe('parseWarninglists', () => {
  it('reads Entente lists, alone or in an array', () => {
    const one = parseWarninglists(JSON.stringify({ name: 'partner-scanners', description: 'Our partners\' scanners', kind: 'cidr', entries: ['192.0.2.0/28 '] }), 'a.json');
    expect(one).toEqual([{ name: 'partner-scanners', description: 'Our partners\' scanners', kind: 'cidr', entries: ['192.0.2.0/28'] }]);
    const two = parseWarninglists(JSON.stringify([
      { name: 'a', kind: 'domain-suffix', entries: ['corp.internal'], types: ['domain-name'] },
      { name: 'b', kind: 'hash', entries: ['d41d8cd98f00b204e9800998ecf8427e'] },
    ]), 'b.json');
    expect(two.map((l) => [l.name, l.kind, l.types])).toEqual([['a', 'domain-suffix', ['domain-name']], ['b', 'hash', undefined]]);
  });

  it('reads MISP warninglists unchanged, mapping their types', () => {
    const misp = {
      name: 'List of known public DNS resolvers', version: 1, description: 'Public DNS', type: 'cidr',
      matching_attributes: ['ip-src', 'ip-dst'], list: ['8.8.8.8', '2001:4860:4860::8888'],
    };
    const [list] = parseWarninglists(JSON.stringify(misp), 'misp.json');
    expect(list).toMatchObject({ name: 'list-of-known-public-dns-resolvers', kind: 'cidr', entries: ['8.8.8.8', '2001:4860:4860::8888'] });
    const hostnames = parseWarninglists(JSON.stringify({ name: 'hosts', type: 'hostname', list: ['corp.example'] }), 'h.json');
    expect(new WarninglistMatcher(hostnames).match('domain-name', 'mail.corp.example')?.list).toBe('hosts');
    const hashes = parseWarninglists(JSON.stringify({ name: 'h', type: 'string', matching_attributes: ['md5', 'sha256'], list: ['d41d8cd98f00b204e9800998ecf8427e'] }), 'x.json');
    expect(hashes[0]?.kind).toBe('hash');
  });

  it('says what is wrong and where', () => {
    expect(problems('{"name":"x","kind":"cidr","entries":["10.0.0.0/33","nope"]}')).toEqual([
      { path: '$.entries[0]', message: '"10.0.0.0/33" is not an IPv4 or IPv6 address or CIDR block' },
      { path: '$.entries[1]', message: '"nope" is not an IPv4 or IPv6 address or CIDR block' },
    ]);
    expect(problems('[{"name":"x","kind":"bloom","entries":[]}]')).toEqual([{ path: '$[0].kind', message: 'must be one of cidr, domain-suffix, exact, hash' }]);
    expect(problems('{"name":"x","type":"regex","list":["a.*"]}')[0]).toEqual({ path: '$.type', message: 'MISP regex lists are not supported (only cidr, hostname and string)' });
    expect(problems('{"kind":"hash","entries":["abc"],"types":["ip"]}').map((d) => d.path)).toEqual(['$.name', '$.types[0]', '$.entries[0]']);
    expect(() => parseWarninglists('{"name":', 'broken.json')).toThrow(/broken\.json/);
  });
});
