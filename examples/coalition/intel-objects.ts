/**
 * The sample intelligence of the coalition example, described object by object: who made it
 * (an organisation code of `organisations.yaml`), its label as a banner, and its STIX
 * properties. `@key` in a property stands for the id of the object (or organisation) with that
 * key. README.md lists what each object shows and where it may go.
 */

export interface IntelObject {
  /** Stable name of the object in the README, the tests and the id derivation. */
  readonly key: string;
  readonly type: string;
  /** Code of the organisation that created it. */
  readonly by: string;
  /** Object-level label as a banner (`NATO RESTRICTED // REL TO NATO // TLP:AMBER`). */
  readonly banner: string;
  /** Parts of the object under a stricter label (granular markings). */
  readonly granular?: ReadonlyArray<{ readonly selectors: ReadonlyArray<string>; readonly banner: string }>;
  /** `created` and `modified`. */
  readonly at: string;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface IntelBundle {
  readonly file: string;
  readonly objects: ReadonlyArray<IntelObject>;
}

const ENERGY = ['sector:energy'];

function indicator(key: string, by: string, banner: string, at: string, name: string, pattern: string, more: Record<string, unknown> = {}): IntelObject {
  return {
    key, type: 'indicator', by, banner, at,
    properties: { name, indicator_types: ['malicious-activity'], pattern, pattern_type: 'stix', valid_from: at, ...more },
  };
}

function relationship(key: string, banner: string, at: string, type: string, source: string, target: string, more: Record<string, unknown> = {}): IntelObject {
  return { key, type: 'relationship', by: 'DEU', banner, at, properties: { relationship_type: type, source_ref: `@${source}`, target_ref: `@${target}`, ...more } };
}

function attackPattern(key: string, name: string, source: string, id: string, path: string): IntelObject {
  return {
    key, type: 'attack-pattern', by: 'DEU', banner: 'TLP:CLEAR', at: '2026-11-02T09:00:00.000Z',
    properties: { name, external_references: [{ source_name: source, external_id: id, url: `https://attack.mitre.org/techniques/${path}/` }] },
  };
}

const T1 = '2026-11-18T07:30:00.000Z';
const T2 = '2026-11-20T14:00:00.000Z';
const T3 = '2026-11-23T10:15:00.000Z';

/** A campaign against European grid operators, analysed by CERT-Bund. */
const CAMPAIGN: ReadonlyArray<IntelObject> = [
  {
    key: 'actor-steppe-lynx', type: 'threat-actor', by: 'DEU', banner: 'TLP:GREEN', at: T1,
    properties: {
      name: 'STEPPE LYNX', threat_actor_types: ['nation-state'], sophistication: 'advanced', resource_level: 'government',
      primary_motivation: 'coercion', labels: [...ENERGY, 'ics'],
      description: 'State-sponsored group preparing disruptive operations against electricity transmission and distribution operators in Europe.',
    },
  },
  {
    key: 'malware-gridlock', type: 'malware', by: 'DEU', banner: 'TLP:CLEAR', at: T1,
    properties: { name: 'GRIDLOCK', is_family: true, malware_types: ['downloader', 'backdoor'], labels: [...ENERGY, 'ics'], description: 'Loader delivered by spearphishing; fetches further stages over HTTPS.' },
  },
  {
    key: 'malware-frostbyte', type: 'malware', by: 'DEU', banner: 'TLP:GREEN', at: T1,
    properties: {
      name: 'FROSTBYTE', is_family: true, malware_types: ['wiper'], labels: [...ENERGY, 'ics'],
      description: 'Wiper that also sends IEC 60870-5-104 commands to open breakers before destroying the engineering workstation.',
      x_bsi_analysis_id: 'BSI-MA-2026-0412',
    },
  },
  attackPattern('ap-t1566-001', 'Spearphishing Attachment', 'mitre-attack', 'T1566.001', 'T1566/001'),
  attackPattern('ap-t1190', 'Exploit Public-Facing Application', 'mitre-attack', 'T1190', 'T1190'),
  attackPattern('ap-t0831', 'Manipulation of Control', 'mitre-ics-attack', 'T0831', 'T0831'),
  indicator('ind-c2-ipv4', 'DEU', 'TLP:GREEN', T1, 'GRIDLOCK command and control server', "[ipv4-addr:value = '203.0.113.17']", { labels: ENERGY }),
  indicator('ind-c2-domain', 'DEU', 'TLP:AMBER', T1, 'GRIDLOCK second-stage domain', "[domain-name:value = 'update.gridsync-telemetry.example']", { labels: ENERGY }),
  indicator('ind-frostbyte-sha256', 'DEU', 'TLP:CLEAR', T1, 'FROSTBYTE sample',
    "[file:hashes.'SHA-256' = '1130adfa771bb6a91a438d9929f205cf17f20a698d6022a589b924d10057d74c']", { labels: ENERGY }),
  indicator('ind-staging-ipv4', 'DEU', 'TLP:AMBER+STRICT', T2, 'Compromised jump host staging FROSTBYTE', "[ipv4-addr:value = '198.51.100.23']", {
    labels: [...ENERGY, 'ics'], description: 'A jump host inside a German operator\'s network, used to stage FROSTBYTE before deployment.',
  }),
  indicator('ind-gov-ipv4', 'DEU', 'TLP:AMBER+STRICT', T2, 'Scanner probing federal VPN gateways', "[ipv4-addr:value = '192.0.2.45']", { labels: ['sector:government'] }),
  indicator('ind-dropper-md5', 'DEU', 'TLP:GREEN', T1, 'GRIDLOCK dropper document', "[file:hashes.MD5 = '05db4d44e3d943192a1c15599765b5fe']", {
    x_bsi_sensor: 'honeypot-ks-07',
  }),
  indicator('ind-source-ipv4', 'DEU', 'TLP:RED', T2, 'STEPPE LYNX operator workstation', "[ipv4-addr:value = '203.0.113.201']", {
    labels: ENERGY, description: 'Known from a sensitive source; for CERT-Bund only.',
  }),
  indicator('ind-phish-url', 'DEU', 'TLP:GREEN // PAP:AMBER', T1, 'Credential phishing page imitating a grid telemetry portal',
    "[url:value = 'https://portal.gridsync-telemetry.example/login']", { labels: ENERGY }),
  {
    key: 'victim-nordhafen', type: 'identity', by: 'DEU', banner: 'TLP:AMBER', at: T2,
    properties: { name: 'Stadtwerke Nordhafen GmbH', identity_class: 'organization', sectors: ['energy', 'utilities'], labels: ENERGY },
  },
  relationship('rel-c2-ipv4-gridlock', 'TLP:GREEN', T1, 'indicates', 'ind-c2-ipv4', 'malware-gridlock', { labels: ENERGY }),
  relationship('rel-c2-domain-gridlock', 'TLP:AMBER', T1, 'indicates', 'ind-c2-domain', 'malware-gridlock', { labels: ENERGY }),
  relationship('rel-sha256-frostbyte', 'TLP:CLEAR', T1, 'indicates', 'ind-frostbyte-sha256', 'malware-frostbyte'),
  relationship('rel-staging-gridlock', 'TLP:AMBER+STRICT', T2, 'indicates', 'ind-staging-ipv4', 'malware-gridlock', { labels: ENERGY }),
  relationship('rel-actor-gridlock', 'TLP:GREEN', T1, 'uses', 'actor-steppe-lynx', 'malware-gridlock', { labels: ENERGY }),
  relationship('rel-actor-frostbyte', 'TLP:GREEN', T1, 'uses', 'actor-steppe-lynx', 'malware-frostbyte', { labels: ENERGY }),
  relationship('rel-gridlock-t1566', 'TLP:CLEAR', T1, 'uses', 'malware-gridlock', 'ap-t1566-001'),
  relationship('rel-frostbyte-t0831', 'TLP:CLEAR', T1, 'uses', 'malware-frostbyte', 'ap-t0831'),
  relationship('rel-actor-t1190', 'TLP:CLEAR', T1, 'uses', 'actor-steppe-lynx', 'ap-t1190'),
  relationship('rel-actor-targets-nordhafen', 'TLP:AMBER', T2, 'targets', 'actor-steppe-lynx', 'victim-nordhafen', { labels: ENERGY }),
  {
    key: 'sighting-c2-nordhafen', type: 'sighting', by: 'DEU', banner: 'TLP:AMBER', at: T2,
    properties: {
      sighting_of_ref: '@ind-c2-ipv4', where_sighted_refs: ['@victim-nordhafen'], count: 14,
      first_seen: '2026-11-19T02:10:00.000Z', last_seen: '2026-11-20T11:42:00.000Z', labels: ENERGY,
    },
  },
  {
    key: 'report-steppe-lynx', type: 'report', by: 'DEU', banner: 'NATO RESTRICTED // REL TO NATO // TLP:AMBER', at: T3,
    // The attribution paragraph rests on intelligence only the United States and the United
    // Kingdom may receive: it is marked apart, the rest of the report goes to all of NATO.
    granular: [{ selectors: ['description'], banner: 'REL TO USA, GBR' }],
    properties: {
      name: 'STEPPE LYNX prepares disruption of European grid operators', report_types: ['threat-actor', 'campaign'], published: T3,
      labels: [...ENERGY, 'ics'],
      description: 'Attribution: infrastructure overlaps and operator tradecraft tie STEPPE LYNX to a military intelligence unit; '
        + 'confidence moderate, based on partner signals intelligence.',
      object_refs: [
        '@actor-steppe-lynx', '@malware-gridlock', '@malware-frostbyte', '@ind-c2-ipv4', '@ind-c2-domain', '@ind-frostbyte-sha256',
        '@ind-staging-ipv4', '@ind-source-ipv4', '@victim-nordhafen', '@rel-actor-gridlock', '@rel-actor-frostbyte',
        '@rel-actor-targets-nordhafen', '@sighting-c2-nordhafen',
      ],
    },
  },
];

/** German national, EU and NATO classified items. */
const CLASSIFIED: ReadonlyArray<IntelObject> = [
  {
    key: 'report-lagebild-vsnfd', type: 'report', by: 'DEU', banner: 'VS-NfD // TLP:AMBER', at: T3,
    properties: {
      name: 'Lagebild: Angriffe auf Fernwirktechnik von Übertragungsnetzbetreibern', report_types: ['threat-report'], published: T3,
      labels: ENERGY, lang: 'de', object_refs: ['@malware-gridlock', '@ap-t0831'],
    },
  },
  {
    key: 'actor-grey-magpie', type: 'threat-actor', by: 'DEU', banner: 'TLP:AMBER', at: T2,
    properties: { name: 'GREY MAGPIE', threat_actor_types: ['spy'], primary_motivation: 'organizational-gain', labels: ['sector:government'] },
  },
  indicator('ind-magpie-domain', 'DEU', 'TLP:AMBER', T2, 'GREY MAGPIE webmail lure', "[domain-name:value = 'eu-council-webmail.example']", { labels: ['sector:government'] }),
  relationship('rel-magpie-domain', 'TLP:AMBER', T2, 'indicates', 'ind-magpie-domain', 'actor-grey-magpie'),
  {
    key: 'report-grey-magpie', type: 'report', by: 'DEU', banner: 'RESTREINT UE/EU RESTRICTED // TLP:AMBER', at: T3,
    properties: {
      name: 'GREY MAGPIE spearphishing against Union institutions', report_types: ['threat-actor'], published: T3, labels: ['sector:government'],
      object_refs: ['@actor-grey-magpie', '@ind-magpie-domain', '@rel-magpie-domain'],
    },
  },
  indicator('ind-noforn-ipv4', 'DEU', 'TLP:AMBER // NOFORN', T2, 'Exfiltration endpoint used against a German operator', "[ipv4-addr:value = '192.0.2.200']", {
    labels: ENERGY, description: 'Found by a German criminal investigation: German nationals only until the prosecutor releases it.',
  }),
  indicator('ind-nato-secret-domain', 'DEU', 'SECRET//REL TO USA, GBR // TLP:AMBER', T2, 'STEPPE LYNX tasking server',
    "[domain-name:value = 'tasking.steppe-relay.example']", { labels: ENERGY }),
  indicator('ind-nato-restricted-domain', 'DEU', 'NATO RESTRICTED // REL TO NATO // TLP:GREEN', T2, 'STEPPE LYNX exfiltration relay',
    "[domain-name:value = 'relay.steppe-relay.example']", { labels: ENERGY }),
];

/** What allies and the private partner shared with CERT-Bund (third-party data). */
const FROM_PARTNERS: ReadonlyArray<IntelObject> = [
  indicator('ind-anssi-domain', 'FRA', 'TLP:GREEN', T2, 'GRIDLOCK content delivery domain', "[domain-name:value = 'cdn.gridsync-telemetry.example']", { labels: ENERGY }),
  {
    key: 'malware-paperkite', type: 'malware', by: 'FRA', banner: 'TLP:AMBER', at: T2,
    properties: { name: 'PAPERKITE', is_family: true, malware_types: ['remote-access-trojan'], labels: ENERGY },
  },
  { ...relationship('rel-anssi-paperkite', 'TLP:GREEN', T2, 'indicates', 'ind-anssi-domain', 'malware-paperkite', { labels: ENERGY }), by: 'FRA' },
  indicator('ind-cisa-ipv4', 'USA', 'TLP:GREEN', T2, 'GRIDLOCK fallback command and control server', "[ipv4-addr:value = '203.0.113.66']", { labels: ENERGY }),
  {
    key: 'sighting-nwe-grid', type: 'sighting', by: 'NWE-GRID', banner: 'TLP:GREEN', at: T3,
    properties: {
      sighting_of_ref: '@ind-c2-ipv4', where_sighted_refs: ['@NWE-GRID'], count: 3,
      first_seen: '2026-11-22T21:05:00.000Z', last_seen: '2026-11-23T04:30:00.000Z', labels: ENERGY,
    },
  },
];

export const INTEL_BUNDLES: ReadonlyArray<IntelBundle> = [
  { file: '01-steppe-lynx-campaign.json', objects: CAMPAIGN },
  { file: '02-classified.json', objects: CLASSIFIED },
  { file: '03-from-partners.json', objects: FROM_PARTNERS },
];
