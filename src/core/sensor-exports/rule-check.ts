/**
 * A checker of the Suricata rule grammar as far as Entente writes it (user guide, "Rules
 * Format"): action, header (protocol, addresses, ports, direction), options as `name[:value];`
 * with quoted strings and `|hex|` bytes in content, and msg, sid and rev present with sids
 * unique. The export runs it before writing, so a malformed rule never reaches a sensor.
 */
import { parseCidr } from '../pattern/ip.js';

export interface RuleProblem {
  readonly line: number;
  readonly message: string;
}

export interface ParsedRule {
  readonly line: number;
  readonly action: string;
  readonly protocol: string;
  readonly source: string;
  readonly direction: string;
  readonly destination: string;
  readonly options: ReadonlyArray<{ readonly name: string; readonly value?: string }>;
}

const ACTIONS = new Set(['alert', 'pass', 'drop', 'reject', 'rejectsrc', 'rejectdst', 'rejectboth']);
const PROTOCOLS = new Set(['ip', 'tcp', 'udp', 'icmp', 'http', 'http1', 'http2', 'tls', 'dns', 'smtp', 'ftp', 'ftp-data', 'smb', 'nfs', 'ssh', 'dcerpc', 'krb5', 'quic']);
const HEADER = /^(\S+)\s+(\S+)\s+(\[[^\]]*\]|\S+)\s+(\[[^\]]*\]|\S+)\s+(->|<>)\s+(\[[^\]]*\]|\S+)\s+(\[[^\]]*\]|\S+)\s+\((.*)\)\s*$/;

function addressOk(text: string): boolean {
  const item = text.startsWith('!') ? text.slice(1) : text;
  if (item.startsWith('[') && item.endsWith(']')) {
    const inner = item.slice(1, -1);
    return inner !== '' && inner.split(',').every((part) => addressOk(part.trim()));
  }
  return item === 'any' || /^\$[A-Z_]+$/.test(item) || parseCidr(item) !== undefined;
}

function portOk(text: string): boolean {
  const item = text.startsWith('!') ? text.slice(1) : text;
  if (item.startsWith('[') && item.endsWith(']')) return item.slice(1, -1).split(',').every((p) => portOk(p.trim()));
  return item === 'any' || /^\$[A-Z_]+$/.test(item) || /^\d{1,5}(:\d{0,5})?$/.test(item);
}

/** Splits `name:value; name; …` honouring quotes and backslash escapes; undefined when unbalanced. */
function splitOptions(text: string): Array<{ name: string; value?: string }> | undefined {
  const out: Array<{ name: string; value?: string }> = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && quoted) { current += c + (text[i + 1] ?? ''); i++; continue; }
    if (c === '"') quoted = !quoted;
    if (c === ';' && !quoted) {
      const part = current.trim();
      const colon = part.indexOf(':');
      out.push(colon < 0 ? { name: part } : { name: part.slice(0, colon).trim(), value: part.slice(colon + 1).trim() });
      current = '';
      continue;
    }
    current += c;
  }
  return quoted || current.trim() !== '' ? undefined : out;
}

function quotedOk(value: string | undefined): boolean {
  if (value === undefined || !/^"(?:[^"\\]|\\.)*"$/.test(value)) return false;
  return true;
}

function contentOk(value: string | undefined): boolean {
  if (!quotedOk(value)) return false;
  const body = (value as string).slice(1, -1);
  if (/[;"]/.test(body.replace(/\\./g, ''))) return false;
  const pipes = body.split('|');
  if (pipes.length % 2 === 0) return false;
  return pipes.every((part, i) => i % 2 === 0 || /^(?:[0-9A-Fa-f]{2}\s*)+$/.test(part.trim()));
}

/** Parses rule text, reporting every line that breaks the grammar and every repeated sid. */
export function checkRules(text: string): { readonly rules: ReadonlyArray<ParsedRule>; readonly problems: ReadonlyArray<RuleProblem> } {
  const rules: ParsedRule[] = [];
  const problems: RuleProblem[] = [];
  const sids = new Map<string, number>();
  text.split('\n').forEach((raw, n) => {
    const line = n + 1;
    const rule = raw.trim();
    if (rule === '' || rule.startsWith('#')) return;
    const m = HEADER.exec(rule);
    if (m === null) { problems.push({ line, message: 'not "action protocol src sport direction dst dport (options)"' }); return; }
    const [, action, protocol, src, sport, direction, dst, dport, body] = m as unknown as string[];
    if (!ACTIONS.has(action as string)) problems.push({ line, message: `unknown action ${action}` });
    if (!PROTOCOLS.has(protocol as string)) problems.push({ line, message: `unknown protocol ${protocol}` });
    if (!addressOk(src as string) || !addressOk(dst as string)) problems.push({ line, message: 'bad address' });
    if (!portOk(sport as string) || !portOk(dport as string)) problems.push({ line, message: 'bad port' });
    const options = splitOptions(body as string);
    if (options === undefined) { problems.push({ line, message: 'options are not a list of name[:value]; with balanced quotes' }); return; }
    for (const o of options) {
      if (!/^[a-z0-9_.-]+$/.test(o.name)) problems.push({ line, message: `bad option name "${o.name}"` });
      if (o.name === 'content' && !contentOk(o.value)) problems.push({ line, message: `bad content ${o.value ?? ''}` });
      if (o.name === 'msg' && !quotedOk(o.value)) problems.push({ line, message: 'msg is not a quoted string' });
    }
    const sid = options.find((o) => o.name === 'sid')?.value;
    if (options.filter((o) => o.name === 'msg').length !== 1) problems.push({ line, message: 'needs exactly one msg' });
    if (sid === undefined || !/^[1-9]\d*$/.test(sid)) problems.push({ line, message: 'needs a positive integer sid' });
    else if (sids.has(sid)) problems.push({ line, message: `sid ${sid} already used on line ${sids.get(sid) ?? 0}` });
    else sids.set(sid, line);
    if (!/^\d+$/.test(options.find((o) => o.name === 'rev')?.value ?? '')) problems.push({ line, message: 'needs an integer rev' });
    rules.push({ line, action: action as string, protocol: protocol as string, source: src as string, direction: direction as string, destination: dst as string, options });
  });
  return { rules, problems };
}
