import { describe, expect, it } from 'vitest';
import { papAtMost, papCheck, parsePap, printPap } from './pap.js';
import { parseTlp, printTlp, tlpAtMost, tlpCheck, tlpRank } from './tlp.js';

describe('TLP', () => {
  it('ranks CLEAR < GREEN < AMBER < AMBER+STRICT < RED', () => {
    expect(['clear', 'green', 'amber', 'amber+strict', 'red'].map((l) => tlpRank(l as never))).toEqual([0, 1, 2, 3, 4]);
  });

  it('holds a level against a ceiling; an absent level is under any ceiling', () => {
    expect(tlpAtMost('amber', 'amber+strict')).toBe(true);
    expect(tlpAtMost('amber+strict', 'amber')).toBe(false);
    expect(tlpAtMost(undefined, 'clear')).toBe(true);
  });

  it('reads TLP 2.0 markings in any case and spacing, and TLP 1.0 WHITE as CLEAR', () => {
    expect(parseTlp('TLP:AMBER+STRICT')).toBe('amber+strict');
    expect(parseTlp('tlp : amber + strict')).toBe('amber+strict');
    expect(parseTlp('TLP:WHITE')).toBe('clear');
    expect(parseTlp('TLP:red')).toBe('red');
  });

  it('refuses other colours and text without the TLP: prefix', () => {
    expect(() => parseTlp('TLP:ORANGE')).toThrow(/not a TLP marking/);
    expect(() => parseTlp('AMBER')).toThrow(/not a TLP marking/);
  });

  it('prints TLP 2.0 names', () => {
    expect(printTlp('amber+strict')).toBe('TLP:AMBER+STRICT');
    expect(tlpCheck('red', 'amber')).toEqual({ component: 'tlp', ok: false, detail: 'TLP:RED exceeds the ceiling TLP:AMBER' });
  });
});

describe('PAP', () => {
  it('reads PAP levels, WHITE as CLEAR, and holds them against a ceiling', () => {
    expect(parsePap('PAP:GREEN')).toBe('green');
    expect(parsePap('pap: white')).toBe('clear');
    expect(() => parsePap('PAP:AMBER+STRICT')).toThrow(/not a PAP marking/);
    expect(papAtMost('red', 'amber')).toBe(false);
    expect(papAtMost('green', 'amber')).toBe(true);
    expect(printPap('amber')).toBe('PAP:AMBER');
    expect(papCheck(undefined, 'clear').ok).toBe(true);
  });
});
