import { describe, expect, it } from 'vitest';
import { summarise, type SimulationEntry } from './simulation.js';

const allow = { outcome: 'allow', steps: [] } as unknown as SimulationEntry['decision'];
const entry = (type: string, n: number): SimulationEntry => ({ object: { type, id: `${type}--${n}` }, decision: allow, banner: 'TLP:GREEN' } as SimulationEntry);

describe('summarise', () => {
  it('shows intelligence among the examples before the definitions and identities that go with it', () => {
    const entries = [entry('marking-definition', 1), entry('identity', 2), entry('marking-definition', 3), entry('indicator', 4), entry('malware', 5)];
    const summary = summarise('peer:POL', entries, 3);
    expect(summary.examples.map((e) => e.id)).toEqual(['indicator--4', 'malware--5', 'marking-definition--1']);
    expect(summary.counts).toEqual({ allow: 5, redact: 0, deny: 0 });
  });
});
