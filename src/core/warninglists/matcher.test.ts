import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_WARNINGLISTS } from './builtin-lists.js';
import { WarninglistMatcher, urlHost } from './matcher.js';
import type { Warninglist } from './types.js';

const builtin = new WarninglistMatcher(BUILTIN_WARNINGLISTS);

describe('the built-in warninglists', () => {
  it('name public resolvers in IPv4 and IPv6', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '9.9.9.9']) expect(builtin.match('ipv4-addr', ip)).toEqual({ list: 'public-dns-resolvers', entry: ip });
    expect(builtin.match('ipv6-addr', '2001:4860:4860:0:0:0:0:8888')?.list).toBe('public-dns-resolvers');
    expect(builtin.match('ipv6-addr', '2606:4700:4700::1111')?.list).toBe('public-dns-resolvers');
    expect(builtin.match('ipv4-addr', '8.8.8.9')).toBeUndefined();
  });

  it('cover addresses and blocks inside reserved ranges, with the entry that covers them', () => {
    expect(builtin.match('ipv4-addr', '10.200.3.4')).toEqual({ list: 'private-addresses', entry: '10.0.0.0/8' });
    expect(builtin.match('ipv4-addr', '172.31.255.255')?.entry).toBe('172.16.0.0/12');
    expect(builtin.match('ipv4-addr', '172.32.0.1')).toBeUndefined();
    expect(builtin.match('ipv4-addr', '100.127.0.1')?.list).toBe('shared-address-space');
    expect(builtin.match('ipv4-addr', '127.0.0.1')?.list).toBe('loopback');
    expect(builtin.match('ipv4-addr', '169.254.10.1')?.list).toBe('link-local');
    expect(builtin.match('ipv4-addr', '239.255.255.250')?.list).toBe('multicast');
    expect(builtin.match('ipv4-addr', '198.51.100.7')?.list).toBe('documentation-addresses');
    expect(builtin.match('ipv4-addr', '192.168.4.0/24')?.list).toBe('private-addresses');
    // A block wider than the listed range is not benign as a whole.
    expect(builtin.match('ipv4-addr', '192.0.0.0/8')).toBeUndefined();
    expect(builtin.match('ipv6-addr', 'fe80::1')?.list).toBe('link-local');
    expect(builtin.match('ipv6-addr', 'fd12:3456::1')?.list).toBe('private-addresses');
    expect(builtin.match('ipv6-addr', '2001:db8:1::/48')?.list).toBe('documentation-addresses');
    expect(builtin.match('ipv6-addr', '2a00:1450::1')).toBeUndefined();
  });

  it('cover reserved domains and their subdomains, not look-alikes', () => {
    expect(builtin.match('domain-name', 'www.example.com')).toEqual({ list: 'reserved-domains', entry: 'example.com' });
    expect(builtin.match('domain-name', 'Printer.LOCAL.')?.list).toBe('reserved-domains');
    expect(builtin.match('domain-name', 'a.b.test')?.list).toBe('reserved-domains');
    expect(builtin.match('domain-name', 'notexample.com')).toBeUndefined();
    expect(builtin.match('domain-name', 'example.com.evil.ru')).toBeUndefined();
  });

  it('apply the popular domains to domain names only, not to URLs or mailboxes on them', () => {
    expect(builtin.match('domain-name', 'update.microsoft.com')?.list).toBe('popular-domains');
    expect(builtin.match('url', 'https://docs.google.com/document/d/1')).toBeUndefined();
    expect(builtin.match('email-addr', 'someone@google.com')).toBeUndefined();
    // Reserved ranges and domains do apply to URLs and mailboxes.
    expect(builtin.match('url', 'http://192.168.1.1/admin')?.list).toBe('private-addresses');
    expect(builtin.match('url', 'https://intranet.example.com:8443/x')?.list).toBe('reserved-domains');
    expect(builtin.match('email-addr', 'alice@example.org')?.list).toBe('reserved-domains');
  });

  it('know the hashes of the empty file, in any case', () => {
    for (const algorithm of ['md5', 'sha1', 'sha256', 'sha512']) {
      const hash = createHash(algorithm).update('').digest('hex');
      expect(builtin.match('file-hash', hash)?.list).toBe('empty-file-hashes');
      expect(builtin.match('file-hash', hash.toUpperCase())?.list).toBe('empty-file-hashes');
    }
    expect(builtin.match('file-hash', createHash('sha256').update('x').digest('hex'))).toBeUndefined();
  });
});

describe('WarninglistMatcher', () => {
  const lists: Warninglist[] = [
    { name: 'ours', description: 'd', kind: 'exact', entries: ['Evil-Test-Value'] },
    { name: 'nets', description: 'd', kind: 'cidr', entries: ['203.0.113.128/25', '2001:db8:abcd::/48'] },
  ];
  const matcher = new WarninglistMatcher(lists);

  it('matches exact entries whatever the case', () => {
    expect(matcher.match('domain-name', 'evil-test-value')).toEqual({ list: 'ours', entry: 'Evil-Test-Value' });
  });

  it('agrees with a plain range check on random IPv4 addresses', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => {
      const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
      const inRange = a === 203 && b === 0 && c === 113 && d >= 128;
      expect(matcher.match('ipv4-addr', ip) !== undefined).toBe(inRange);
    }));
  });

  it('finds the first list holding a value as the reason', () => {
    const twice = new WarninglistMatcher([
      { name: 'first', description: '', kind: 'cidr', entries: ['10.0.0.0/8'] },
      { name: 'second', description: '', kind: 'cidr', entries: ['10.1.0.0/16'] },
    ]);
    expect(twice.match('ipv4-addr', '10.1.2.3')?.list).toBe('first');
  });

  it('reads the host of URLs', () => {
    expect(urlHost('HTTP://user:pw@Host.Example:80/a?b')).toBe('host.example');
    expect(urlHost('http://[2001:db8::1]:8080/')).toBe('2001:db8::1');
    expect(urlHost('not a url')).toBeUndefined();
  });
});
