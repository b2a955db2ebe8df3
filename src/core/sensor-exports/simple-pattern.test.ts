import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePattern } from '../pattern/index.js';
import { cidrKey, parseCidr } from '../pattern/ip.js';
import { formatAddress, reducePattern } from './simple-pattern.js';

const reduce = (pattern: string) => reducePattern(parsePattern(pattern));

describe('reducePattern', () => {
  it('turns equality, IN and OR into plain values in canonical form', () => {
    expect(reduce("[ipv4-addr:value = '185.220.101.4']")).toEqual({ values: [{ type: 'ipv4', value: '185.220.101.4' }] });
    expect(reduce("[ipv4-addr:value IN ('185.220.101.4', '185.220.101.5/32')] OR [ipv6-addr:value = '2001:0DB8:0:0:0:0:0:1']")).toEqual({
      values: [{ type: 'ipv4', value: '185.220.101.4' }, { type: 'ipv4', value: '185.220.101.5' }, { type: 'ipv6', value: '2001:db8::1' }],
    });
    expect(reduce("[ipv4-addr:value ISSUBSET '45.9.148.77/24']")).toEqual({ values: [{ type: 'cidr', value: '45.9.148.0/24' }] });
    expect(reduce("[ipv4-addr:value = '45.9.148.0/24']")).toEqual({ values: [{ type: 'cidr', value: '45.9.148.0/24' }] });
    expect(reduce("[domain-name:value = 'C2.BadActor.RU.' OR domain-name:value = 'c2.badactor.ru']")).toEqual({ values: [{ type: 'domain', value: 'c2.badactor.ru' }] });
    expect(reduce("[url:value = 'http://c2.badactor.ru/gate.php?id=1']")).toEqual({ values: [{ type: 'url', value: 'http://c2.badactor.ru/gate.php?id=1' }] });
    expect(reduce("[email-addr:value = 'Boss@Phish.EXAMPLE']")).toEqual({ values: [{ type: 'email', value: 'Boss@phish.example' }] });
    expect(reduce("[file:hashes.'SHA-256' = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90'] OR [file:hashes.MD5 = '44d88612fea8a8f36de82e1278abb02f']")).toEqual({
      values: [{ type: 'sha256', value: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90' }, { type: 'md5', value: '44d88612fea8a8f36de82e1278abb02f' }],
    });
  });

  it('refuses what a list would widen or narrow, saying why', () => {
    const reason = (p: string): string | undefined => {
      const r = reduce(p);
      return 'reason' in r ? r.reason : undefined;
    };
    expect(reason("[ipv4-addr:value = '185.220.101.4'] AND [domain-name:value = 'x.ru']")).toBe('AND between observations needs correlation');
    expect(reason("[ipv4-addr:value = '185.220.101.4'] FOLLOWEDBY [domain-name:value = 'x.ru']")).toBe('FOLLOWEDBY between observations needs correlation');
    expect(reason("[ipv4-addr:value = '185.220.101.4'] REPEATS 5 TIMES")).toMatch(/^qualifiers/);
    expect(reason("[network-traffic:dst_ref.value = '185.220.101.4' AND network-traffic:dst_port = 443]")).toBe('AND inside an observation narrows the match');
    expect(reason("[domain-name:value LIKE '%.badactor.ru']")).toBe('operator LIKE has no equivalent in a list');
    expect(reason("[domain-name:value NOT = 'x.ru']")).toBe('NOT = names what is not bad');
    expect(reason("[network-traffic:dst_ref.value = '185.220.101.4']")).toBe('network-traffic:dst_ref.value is not a property sensors look for');
    expect(reason("[file:hashes.'SHA-512' = '" + 'a'.repeat(128) + "']")).toBe('hash SHA-512 is not one sensors check (MD5, SHA-1, SHA-256)');
    expect(reason("[url:value = 'not a url']")).toBe('"not a url" is not an absolute URL');
    expect(reason('[file:size = 1024]')).toBe('file:size is compared with a int constant');
  });

  it('writes every IPv6 address so that it reads back as the same address', () => {
    fc.assert(fc.property(fc.ipV6(), (text) => {
      const cidr = parseCidr(text);
      if (cidr === undefined) return;
      const printed = formatAddress(cidr);
      expect(cidrKey(parseCidr(printed) as NonNullable<typeof cidr>)).toBe(cidrKey(cidr));
      expect(printed).not.toMatch(/[A-F]/);
    }));
    expect(formatAddress(parseCidr('2001:db8:0:1:0:0:0:1') as NonNullable<ReturnType<typeof parseCidr>>)).toBe('2001:db8:0:1::1');
  });
});
