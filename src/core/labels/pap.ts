/**
 * PAP, the Permissible Actions Protocol: how far a recipient may act on information (from
 * CLEAR, no restriction, to RED, passive use only). PAP:WHITE, its earlier name for CLEAR, is
 * accepted on input.
 */
import { EntenteError } from '../errors.js';
import { PAP_LEVELS, type LabelCheck, type PapLevel } from './types.js';

/** 0 for CLEAR up to 3 for RED. */
export function papRank(level: PapLevel): number {
  return PAP_LEVELS.indexOf(level);
}

/** Whether `level` is no more restrictive than `ceiling`. An absent level restricts nothing. */
export function papAtMost(level: PapLevel | undefined, ceiling: PapLevel): boolean {
  return level === undefined || papRank(level) <= papRank(ceiling);
}

/** The more restrictive of two levels; absent counts as no restriction. */
export function maxPap(a: PapLevel | undefined, b: PapLevel | undefined): PapLevel | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return papRank(a) >= papRank(b) ? a : b;
}

/** The level a colour word names (`GREEN`, `white`); undefined otherwise. */
export function papLevelOf(word: string): PapLevel | undefined {
  const key = word.trim().toLowerCase();
  if (key === 'white') return 'clear';
  return (PAP_LEVELS as ReadonlyArray<string>).includes(key) ? (key as PapLevel) : undefined;
}

/** Reads `PAP:GREEN`, `pap: white`, ... (case and spaces are free). */
export function parsePap(text: string): PapLevel {
  const match = /^\s*PAP\s*:\s*(.*?)\s*$/i.exec(text);
  const level = match?.[1] === undefined ? undefined : papLevelOf(match[1]);
  if (level === undefined) {
    throw new EntenteError('ENTENTE_LABEL_INVALID', `${JSON.stringify(text)} is not a PAP marking; expected PAP:CLEAR, PAP:GREEN, PAP:AMBER or PAP:RED`);
  }
  return level;
}

/** `PAP:GREEN`. */
export function printPap(level: PapLevel): string {
  return `PAP:${level.toUpperCase()}`;
}

/** The check a policy engine records when it holds a label's PAP against an agreement ceiling. */
export function papCheck(level: PapLevel | undefined, ceiling: PapLevel): LabelCheck {
  const ok = papAtMost(level, ceiling);
  const shown = level === undefined ? 'no PAP' : printPap(level);
  return { component: 'pap', ok, detail: `${shown} ${ok ? 'is within' : 'exceeds'} the ceiling ${printPap(ceiling)}` };
}
