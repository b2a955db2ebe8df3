/**
 * Subject and consumer-name rules shared by both Bus adapters, so that a name the in-process bus
 * accepts is one NATS accepts too (NATS subjects: dot-separated tokens, `*` one token, `>` the
 * rest; consumer names may not hold `.`, `*`, `>` or white space).
 */
import { EntenteError } from '../../core/errors.js';
import type { ConsumeOptions } from '../../ports/bus.js';

const TOKEN = /^[A-Za-z0-9_-]+$/;
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Throws unless `subject` is dot-separated tokens without wildcards. */
export function checkSubject(subject: string): void {
  if (!subject.split('.').every((t) => TOKEN.test(t))) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `Subject ${JSON.stringify(subject)}: must be dot-separated tokens of letters, digits, _ and -`, [
      { path: 'subject', message: 'invalid subject' },
    ]);
  }
}

/** Throws unless `filter` is a subject whose tokens may be `*`, and whose last may be `>`. */
export function checkFilter(filter: string): void {
  const tokens = filter.split('.');
  const ok = tokens.every((t, i) => TOKEN.test(t) || t === '*' || (t === '>' && i === tokens.length - 1));
  if (!ok) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `Filter ${JSON.stringify(filter)}: must be subject tokens, * for one token or > at the end`, [
      { path: 'filter', message: 'invalid subject filter' },
    ]);
  }
}

/** Throws unless `name` may name a durable consumer or a stream. */
export function checkName(name: string, what: string): void {
  if (!NAME.test(name)) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${what} ${JSON.stringify(name)}: must be 1 to 64 letters, digits, _ or -`, [
      { path: what, message: 'invalid name' },
    ]);
  }
}

/** Whether a subject falls under a filter. */
export function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    const token = f[i];
    if (token === '>') return s.length > i;
    if (i >= s.length || (token !== '*' && token !== s[i])) return false;
  }
  return f.length === s.length;
}

/** Consumer settings after defaults, the same in both adapters. */
export interface ConsumerSettings {
  readonly filter: string;
  readonly from: 'all' | 'new';
  readonly ackWaitMs: number;
  readonly maxDeliver: number;
  readonly maxAckPending: number;
  readonly retryDelayMs: number;
}

export function consumerSettings(options: ConsumeOptions): ConsumerSettings {
  checkFilter(options.filter);
  if (options.durable !== undefined) checkName(options.durable, 'durable');
  const positive = (value: number | undefined, fallback: number, key: string): number => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < 1) {
      throw new EntenteError('ENTENTE_INVALID_PARAMETER', `${key} must be a whole number from 1; got ${v}`, [{ path: key, message: 'must be a whole number from 1' }]);
    }
    return v;
  };
  return {
    filter: options.filter,
    from: options.from ?? 'all',
    ackWaitMs: positive(options.ackWaitMs, 30_000, 'ackWaitMs'),
    maxDeliver: positive(options.maxDeliver, 5, 'maxDeliver'),
    maxAckPending: positive(options.maxAckPending, 256, 'maxAckPending'),
    retryDelayMs: positive(options.retryDelayMs, 1_000, 'retryDelayMs'),
  };
}
