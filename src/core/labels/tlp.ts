/**
 * TLP 2.0 (FIRST, 2022): order, ceilings and the `TLP:` text form. TLP 1.0 WHITE is read as
 * CLEAR, which FIRST defines as its replacement; nothing is ever printed as WHITE.
 */
import { EntenteError } from '../errors.js';
import { TLP_LEVELS, type LabelCheck, type TlpLevel } from './types.js';

/** 0 for CLEAR up to 4 for RED. */
export function tlpRank(level: TlpLevel): number {
  return TLP_LEVELS.indexOf(level);
}

/** Whether `level` is no more restrictive than `ceiling`. An absent level restricts nothing. */
export function tlpAtMost(level: TlpLevel | undefined, ceiling: TlpLevel): boolean {
  return level === undefined || tlpRank(level) <= tlpRank(ceiling);
}

/** The more restrictive of two levels; absent counts as no restriction. */
export function maxTlp(a: TlpLevel | undefined, b: TlpLevel | undefined): TlpLevel | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return tlpRank(a) >= tlpRank(b) ? a : b;
}

/** The level a colour word names (`amber+strict`, `WHITE`), spaces around `+` allowed; undefined otherwise. */
export function tlpLevelOf(word: string): TlpLevel | undefined {
  const key = word.replace(/\s+/g, '').toLowerCase();
  if (key === 'white') return 'clear';
  return (TLP_LEVELS as ReadonlyArray<string>).includes(key) ? (key as TlpLevel) : undefined;
}

/** Reads `TLP:AMBER+STRICT`, `tlp: white`, ... (case and spaces are free). */
export function parseTlp(text: string): TlpLevel {
  const match = /^\s*TLP\s*:\s*(.*?)\s*$/i.exec(text);
  const level = match?.[1] === undefined ? undefined : tlpLevelOf(match[1]);
  if (level === undefined) {
    throw new EntenteError('ENTENTE_LABEL_INVALID', `${JSON.stringify(text)} is not a TLP marking; expected TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED`);
  }
  return level;
}

/** `TLP:AMBER+STRICT`. */
export function printTlp(level: TlpLevel): string {
  return `TLP:${level.toUpperCase()}`;
}

/** The check a policy engine records when it holds a label's TLP against an agreement ceiling. */
export function tlpCheck(level: TlpLevel | undefined, ceiling: TlpLevel): LabelCheck {
  const ok = tlpAtMost(level, ceiling);
  const shown = level === undefined ? 'no TLP' : printTlp(level);
  return { component: 'tlp', ok, detail: `${shown} ${ok ? 'is within' : 'exceeds'} the ceiling ${printTlp(ceiling)}` };
}
