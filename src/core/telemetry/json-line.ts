/** Shared reading of one JSON-per-line record, so each format reports bad lines the same way. */
import type { LineOutcome } from './types.js';

export type JsonRecord = Readonly<Record<string, unknown>>;

/** The parsed object, or the bad-line outcome saying why (not JSON, or JSON but not an object). */
export function parseJsonLine(text: string, line: number): JsonRecord | LineOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'bad', line, reason: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'bad', line, reason: 'not a JSON object' };
  return value as JsonRecord;
}

/** The parsed object, or undefined when the line is not one JSON object (the fast paths then defer to the full one, which reports it). */
export function jsonRecordOf(text: string): JsonRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

export function isOutcome(value: JsonRecord | LineOutcome): value is LineOutcome {
  return (value as { kind?: unknown }).kind === 'bad' && typeof (value as { reason?: unknown }).reason === 'string' && typeof (value as { line?: unknown }).line === 'number';
}

/** A nested object property, or undefined when absent or not an object. */
export function objectAt(record: JsonRecord, key: string): JsonRecord | undefined {
  const v = record[key];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonRecord) : undefined;
}

export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v !== '') : [];
}

export function isIp(value: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(value) || (value.includes(':') && /^[0-9a-fA-F:.]+$/.test(value));
}
