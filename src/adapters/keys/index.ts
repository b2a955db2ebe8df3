import { join } from 'node:path';
import type { Clock } from '../../ports/clock.js';
import type { KeyRing, PeerKeyDirectory, ReplayGuard } from '../../ports/key-ring.js';
import { FileKeyRing } from './file-key-ring.js';
import { FilePeerKeys } from './file-peer-keys.js';
import { FileReplayGuard } from './replay-guards.js';

export { FileKeyRing, DEFAULT_OVERLAP_MS, KEY_FILE, MASTER_KEY_FILE, type FileKeyRingOptions } from './file-key-ring.js';
export { FilePeerKeys, PEERS_FILE } from './file-peer-keys.js';
export { FileReplayGuard, MemoryReplayGuard, SEEN_ENVELOPES_FILE } from './replay-guards.js';
export { readPublicKeySet, type ReadKeySet } from './public-key-set.js';

/** The node's keys, its peers' pinned keys and the ids of envelopes it has opened. */
export interface NodeKeys {
  readonly ring: KeyRing;
  readonly peers: PeerKeyDirectory;
  readonly replay: ReplayGuard;
}

/**
 * Everything under `DATA_DIR/keys/`. Nothing is read or created until first use; `ring.ensure()`
 * makes the keys at `init`.
 */
export function openFileKeys(options: { readonly dataDir: string; readonly clock: Clock; readonly passphrase?: string | undefined }): NodeKeys {
  const dir = join(options.dataDir, 'keys');
  return {
    ring: new FileKeyRing({ dir, clock: options.clock, ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }) }),
    peers: new FilePeerKeys(dir),
    replay: new FileReplayGuard(dir, options.clock),
  };
}
