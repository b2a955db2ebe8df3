/**
 * Zeek's ASCII (TSV) logs. A header block (`#separator`, `#set_separator`, `#empty_field`,
 * `#unset_field`, `#path`, `#fields`, `#types`) describes the rows after it; one file may hold
 * several blocks (several logs, or a log rotated in place), so the decoder keeps the latest.
 */
import { normaliseZeek } from './zeek-record.js';
import type { LineDecoder, LineOutcome } from './types.js';

interface Header {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path: string | undefined;
  fields: string[] | undefined;
  types: string[] | undefined;
}

/** Decodes a Zeek TSV log; `defaultPath` names the log when the header has no `#path`. */
export function zeekTsvDecoder(defaultPath?: string): LineDecoder {
  const header: Header = { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-', path: defaultPath, fields: undefined, types: undefined };
  return {
    format: 'zeek-tsv',
    decode: (text, line) => (text.startsWith('#') ? readDirective(header, text, line) : readRow(header, text, line)),
    finish: () => undefined,
  };
}

/** `\x09` and other `\xNN` escapes, as Zeek writes them in the header and in values. */
export function unescapeZeek(text: string): string {
  return text.includes('\\x') ? text.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text;
}

function readDirective(header: Header, text: string, line: number): LineOutcome {
  if (text.startsWith('#separator')) {
    // The separator line itself is written with a space, since the separator is not known yet.
    const value = unescapeZeek(text.slice('#separator'.length).trim());
    if (value === '') return { kind: 'bad', line, reason: 'zeek-tsv: #separator has no value' };
    header.separator = value;
    return { kind: 'skipped', reason: 'zeek-tsv header' };
  }
  const at = text.indexOf(header.separator);
  const name = at < 0 ? text : text.slice(0, at);
  const rest = at < 0 ? '' : text.slice(at + header.separator.length);
  switch (name) {
    case '#set_separator': header.setSeparator = unescapeZeek(rest); break;
    case '#empty_field': header.emptyField = unescapeZeek(rest); break;
    case '#unset_field': header.unsetField = unescapeZeek(rest); break;
    case '#path': header.path = rest; break;
    case '#fields': header.fields = rest.split(header.separator); header.types = undefined; break;
    case '#types': header.types = rest.split(header.separator); break;
    default: break; // #open, #close and comments carry nothing a row needs
  }
  if (header.fields !== undefined && header.types !== undefined && header.fields.length !== header.types.length) {
    return { kind: 'bad', line, reason: `zeek-tsv: #types has ${header.types.length} columns but #fields has ${header.fields.length}` };
  }
  return { kind: 'skipped', reason: 'zeek-tsv header' };
}

function readRow(header: Header, text: string, line: number): LineOutcome {
  if (header.fields === undefined) return { kind: 'bad', line, reason: 'zeek-tsv: data row before any #fields header' };
  if (header.path === undefined) return { kind: 'bad', line, reason: 'zeek-tsv: no #path header names the log' };
  const cells = text.split(header.separator);
  if (cells.length !== header.fields.length) {
    return { kind: 'bad', line, reason: `zeek-tsv: ${cells.length} columns where #fields names ${header.fields.length}` };
  }
  const record: Record<string, unknown> = {};
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] as string;
    if (cell === header.unsetField) continue;
    const field = header.fields[i] as string;
    const value = convert(cell, header.types?.[i] ?? 'string', header);
    if (value === undefined) return { kind: 'bad', line, reason: `zeek-tsv: column ${i + 1} (${field}) is not a valid ${header.types?.[i] ?? 'value'}: ${cell.slice(0, 40)}` };
    record[field] = value;
  }
  return normaliseZeek(header.path, record, line, 'zeek-tsv');
}

/** One cell by its Zeek type; undefined when the text is not of that type. */
function convert(cell: string, type: string, header: Header): unknown {
  const container = /^(set|vector|table)\[(.+)\]$/.exec(type);
  if (container !== null) {
    if (cell === header.emptyField) return [];
    const items: unknown[] = [];
    for (const item of cell.split(header.setSeparator)) {
      const v = convert(item, container[2] as string, header);
      if (v === undefined) return undefined;
      items.push(v);
    }
    return items;
  }
  switch (type) {
    case 'time': case 'interval': case 'double': case 'count': case 'int': case 'port': {
      const n = Number(cell);
      return cell !== '' && Number.isFinite(n) ? n : undefined;
    }
    case 'bool':
      return cell === 'T' ? true : cell === 'F' ? false : undefined;
    default:
      return cell === header.emptyField ? '' : unescapeZeek(cell);
  }
}
