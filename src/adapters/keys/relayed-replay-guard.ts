import type { ReplayGuard } from '../../ports/key-ring.js';
import type { LinkHandlers, ProcessLink } from '../system/process-link.js';

/**
 * The replay guard of a serving worker process: every envelope id is checked by the primary
 * process's guard, one at a time, so that an envelope replayed to another worker is refused as
 * surely as one replayed to the same worker.
 */
export class RelayedReplayGuard implements ReplayGuard {
  readonly #link: ProcessLink;

  constructor(link: ProcessLink) {
    this.#link = link;
  }

  remember(id: string, expiresAt: number): Promise<boolean> {
    return this.#link.call<boolean>('replay.remember', { id, expiresAt });
  }
}

/** The primary's side: remembers in its own guard (whose checks take turns). */
export function replayRelay(guard: ReplayGuard): LinkHandlers {
  return {
    'replay.remember': (argument) => {
      const { id, expiresAt } = argument as { id: string; expiresAt: number };
      return guard.remember(id, expiresAt);
    },
  };
}
