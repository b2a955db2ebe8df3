/**
 * Builds one Observation (the pattern engine's view of an observed-data, STIX 2.1 section 4.14)
 * out of the SCOs a sensor event names. References (`src_ref`, `resolves_to_refs`, …) point at
 * SCOs of the same event, so the engine can follow them (section 9.7.4).
 */
import type { Observation, StixObject } from '../pattern/index.js';

type Sco = Record<string, unknown>;

/** STIX hash names (section 10.7 hash-algorithm-ov) for the names sensors use. */
const HASH_NAMES: Readonly<Record<string, string>> = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512' };

export class ObservationBuilder {
  private readonly objects: Sco[] = [];
  private readonly byKey = new Map<string, string>();

  /** Adds an SCO (once per type and value) and returns its id for use in references. */
  add(type: string, properties: Readonly<Record<string, unknown>>, key?: string): string {
    const dedupKey = key === undefined ? undefined : `${type}|${key}`;
    const known = dedupKey === undefined ? undefined : this.byKey.get(dedupKey);
    if (known !== undefined) return known;
    const id = `${type}--${this.objects.length + 1}`;
    this.objects.push({ type, id, ...properties });
    if (dedupKey !== undefined) this.byKey.set(dedupKey, id);
    return id;
  }

  /** An ipv4-addr or ipv6-addr (by the presence of `:`); undefined for an empty or absent value. */
  ip(value: unknown): string | undefined {
    if (typeof value !== 'string' || value === '') return undefined;
    const type = value.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
    return this.add(type, { value }, value);
  }

  /** A domain-name, lower-cased and without the root dot (DNS names compare case-insensitively). */
  domain(value: unknown, resolvesTo: ReadonlyArray<string> = []): string | undefined {
    if (typeof value !== 'string' || value === '') return undefined;
    const name = value.toLowerCase().replace(/\.$/, '');
    const props: Sco = { value: name };
    if (resolvesTo.length > 0) props['resolves_to_refs'] = [...resolvesTo];
    return this.add('domain-name', props, name);
  }

  url(value: unknown): string | undefined {
    if (typeof value !== 'string' || value === '') return undefined;
    return this.add('url', { value }, value);
  }

  email(value: unknown): string | undefined {
    if (typeof value !== 'string' || !value.includes('@')) return undefined;
    return this.add('email-addr', { value }, value.toLowerCase());
  }

  /** A file; hashes are named by STIX and lower-cased; nothing is added when no property is known. */
  file(props: { name?: unknown; size?: unknown; mimeType?: unknown; hashes?: Readonly<Record<string, unknown>> }): string | undefined {
    const sco: Sco = {};
    if (typeof props.name === 'string' && props.name !== '') sco['name'] = props.name;
    if (typeof props.size === 'number' && Number.isInteger(props.size) && props.size >= 0) sco['size'] = props.size;
    if (typeof props.mimeType === 'string' && props.mimeType !== '') sco['mime_type'] = props.mimeType;
    const hashes = stixHashes(props.hashes ?? {});
    if (hashes !== undefined) sco['hashes'] = hashes;
    if (Object.keys(sco).length === 0) return undefined;
    return this.add('file', sco);
  }

  /**
   * A network-traffic between two addresses (section 6.12), with ports, protocols and extensions
   * such as `http-request-ext`; its src_ref/dst_ref point at the address SCOs.
   */
  network(props: { src?: unknown; dst?: unknown; srcPort?: unknown; dstPort?: unknown; layers?: ReadonlyArray<unknown>; extensions?: Readonly<Record<string, unknown>> }): string {
    const srcRef = this.ip(props.src);
    const dstRef = this.ip(props.dst);
    const ipText = typeof props.src === 'string' ? props.src : typeof props.dst === 'string' ? props.dst : undefined;
    const extensions: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props.extensions ?? {})) {
      const compacted = typeof v === 'object' && v !== null ? ObservationBuilder.compact(v as Record<string, unknown>) : {};
      if (Object.keys(compacted).length > 0) extensions[k] = compacted;
    }
    return this.add('network-traffic', ObservationBuilder.compact({
      src_ref: srcRef,
      dst_ref: dstRef,
      src_port: port(props.srcPort),
      dst_port: port(props.dstPort),
      protocols: protocolsOf(ipText, ...(props.layers ?? [])),
      extensions,
    }));
  }

  /** Drops absent properties so that the engine sees them as absent, not as `undefined` values. */
  static compact(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === '') continue;
      if (Array.isArray(v) && v.length === 0) continue;
      if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
      out[k] = v;
    }
    return out;
  }

  get isEmpty(): boolean {
    return this.objects.length === 0;
  }

  /** The observation; every SCO is a root, and references resolve among them. */
  build(id: string, firstObserved: number, lastObserved: number = firstObserved): Observation {
    const byId = new Map<string, StixObject>();
    for (const o of this.objects) byId.set(o['id'] as string, o);
    return {
      id,
      firstObserved,
      lastObserved: Math.max(firstObserved, lastObserved),
      numberObserved: 1,
      roots: this.objects,
      resolve: (ref) => byId.get(ref),
    };
  }
}

/** Maps sensor hash names (`md5`, `sha256`, `SHA-1`) to STIX ones, values lower-case hex. */
export function stixHashes(input: Readonly<Record<string, unknown>>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    if (typeof value !== 'string' || !/^[0-9a-fA-F:]+$/.test(value)) continue;
    const stixName = HASH_NAMES[name.toLowerCase().replace(/[-_]/g, '')];
    if (stixName !== undefined) out[stixName] = value.replace(/:/g, '').toLowerCase();
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** The `protocols` list of network-traffic (section 6.12): lower-case, lowest layer first. */
export function protocolsOf(ip: string | undefined, ...layers: ReadonlyArray<unknown>): string[] {
  const out: string[] = [];
  if (ip !== undefined) out.push(ip.includes(':') ? 'ipv6' : 'ipv4');
  for (const layer of layers) {
    if (typeof layer !== 'string' || layer === '' || layer === '-') continue;
    for (const part of layer.toLowerCase().split(',')) if (part !== '' && !out.includes(part)) out.push(part);
  }
  return out;
}

/** A short line per SCO, for reports: `ipv4-addr 198.51.100.7`, `file SHA-256=…`. */
export function summarise(observation: Observation): string[] {
  return observation.roots.map((o) => {
    const type = String(o.type);
    if (typeof o.value === 'string') return `${type} ${o.value}`;
    if (type === 'network-traffic') {
      const src = typeof o.src_ref === 'string' ? observation.resolve(o.src_ref)?.value : undefined;
      const dst = typeof o.dst_ref === 'string' ? observation.resolve(o.dst_ref)?.value : undefined;
      const protocols = Array.isArray(o.protocols) ? o.protocols.join('/') : '';
      return `network-traffic ${String(src ?? '?')}:${String(o.src_port ?? '')} -> ${String(dst ?? '?')}:${String(o.dst_port ?? '')} ${protocols}`.trimEnd();
    }
    if (type === 'file') {
      const hashes = typeof o.hashes === 'object' && o.hashes !== null ? Object.entries(o.hashes).map(([k, v]) => `${k}=${String(v)}`) : [];
      return `file ${[typeof o.name === 'string' ? o.name : '', ...hashes].filter((s) => s !== '').join(' ')}`;
    }
    if (type === 'x509-certificate') return `x509-certificate ${String(o.subject ?? o.serial_number ?? '')}`;
    return type;
  });
}

/** A TCP/UDP port (0-65535) from a number or a numeric string; undefined otherwise. */
export function port(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}
