/**
 * The warninglists every node has. They are short on purpose: address ranges the RFCs reserve,
 * the resolvers everybody uses, the reserved example domains, the empty-file hashes, and a small
 * excerpt of very popular domains (a top-sites list has millions of names; operators who want
 * one load it with `--warninglist FILE`, see docs/detection.md).
 */
import type { Warninglist } from './types.js';

export const BUILTIN_WARNINGLISTS: ReadonlyArray<Warninglist> = [
  {
    name: 'public-dns-resolvers',
    description: 'Public DNS resolvers (Google, Cloudflare, Quad9, OpenDNS): hosts everywhere talk to them',
    kind: 'cidr',
    types: ['ipv4-addr', 'ipv6-addr'],
    entries: [
      '8.8.8.8', '8.8.4.4', '2001:4860:4860::8888', '2001:4860:4860::8844',
      '1.1.1.1', '1.0.0.1', '2606:4700:4700::1111', '2606:4700:4700::1001',
      '9.9.9.9', '149.112.112.112', '2620:fe::fe', '2620:fe::9',
      '208.67.222.222', '208.67.220.220', '2620:119:35::35', '2620:119:53::53',
    ],
  },
  {
    name: 'private-addresses',
    description: 'Private address space (RFC 1918, and IPv6 unique local addresses of RFC 4193): every network reuses it',
    kind: 'cidr',
    entries: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  },
  {
    name: 'shared-address-space',
    description: 'Carrier-grade NAT shared address space (RFC 6598)',
    kind: 'cidr',
    entries: ['100.64.0.0/10'],
  },
  {
    name: 'loopback',
    description: 'Loopback addresses (RFC 1122, RFC 4291)',
    kind: 'cidr',
    entries: ['127.0.0.0/8', '::1/128'],
  },
  {
    name: 'link-local',
    description: 'Link-local addresses (RFC 3927, RFC 4291)',
    kind: 'cidr',
    entries: ['169.254.0.0/16', 'fe80::/10'],
  },
  {
    name: 'multicast',
    description: 'Multicast addresses (RFC 5771, RFC 4291)',
    kind: 'cidr',
    entries: ['224.0.0.0/4', 'ff00::/8'],
  },
  {
    name: 'documentation-addresses',
    description: 'Address blocks reserved for documentation and examples (RFC 5737, RFC 3849)',
    kind: 'cidr',
    entries: ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'],
  },
  {
    name: 'unspecified-and-broadcast',
    description: '"This network", the unspecified address and limited broadcast (RFC 1122, RFC 919, RFC 4291)',
    kind: 'cidr',
    entries: ['0.0.0.0/8', '255.255.255.255/32', '::/128'],
  },
  {
    name: 'reserved-domains',
    description: 'Domains reserved for examples, tests and local use (RFC 2606, RFC 6761, RFC 6762, RFC 8375)',
    kind: 'domain-suffix',
    entries: ['example.com', 'example.org', 'example.net', 'local', 'localhost', 'invalid', 'test', 'home.arpa'],
  },
  {
    name: 'popular-domains',
    description: 'A short excerpt of very popular domains and their subdomains (not a full top-sites list)',
    kind: 'domain-suffix',
    // Domain names only: a URL or an e-mail address on these hosts can still be malicious
    // (a shared document, a free mailbox), so those types are not covered.
    types: ['domain-name'],
    entries: [
      'google.com', 'gstatic.com', 'youtube.com', 'microsoft.com', 'windowsupdate.com', 'windows.com',
      'office.com', 'bing.com', 'apple.com', 'icloud.com', 'amazon.com', 'cloudflare.com', 'akamai.com',
      'akamaiedge.net', 'akamaitechnologies.com', 'facebook.com', 'wikipedia.org', 'mozilla.org', 'linkedin.com',
    ],
  },
  {
    name: 'empty-file-hashes',
    description: 'MD5, SHA-1, SHA-256 and SHA-512 of the empty file: every empty download has them',
    kind: 'hash',
    entries: [
      'd41d8cd98f00b204e9800998ecf8427e',
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
    ],
  },
];
