import type { Clock } from '../../ports/clock.js';

/** A clock that moves only when told: for tests and simulations. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: number | string = '2026-01-01T00:00:00.000Z') {
    this.#now = typeof start === 'string' ? Date.parse(start) : start;
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
  set(to: number | string): void {
    this.#now = typeof to === 'string' ? Date.parse(to) : to;
  }
}
