import { EntenteError } from '../errors.js';
import { HASH_SIZE, hashesEqual, toBase64, type Hash } from './hashing.js';
import { openNote, parseNote, signNote, type NoteSigner, type NoteVerifier } from './signed-note.js';

/**
 * A checkpoint (C2SP tlog-checkpoint): a log's origin, its tree size and the RFC 9162 root at
 * that size, as the body of a signed note:
 *
 *     entente.example/deu
 *     1048576
 *     CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
 *
 *     — entente.example/deu Az3grlgt...
 */
export interface Checkpoint {
  /** Unique name of the log, e.g. `entente.example/deu`; no spaces and no `+`. */
  readonly origin: string;
  readonly treeSize: number;
  readonly rootHash: Hash;
  /** Optional extra lines; the format discourages them and Entente writes none. */
  readonly extensions?: ReadonlyArray<string>;
}

/** A checkpoint with the signed note it came in. */
export interface SignedCheckpoint extends Checkpoint {
  readonly note: string;
}

const SIZE = /^(0|[1-9][0-9]*)$/;
const ORIGIN = /^[^\s+]+$/u;

function malformed(message: string): EntenteError {
  return new EntenteError('ENTENTE_INVALID_PARAMETER', `Malformed checkpoint: ${message}`, [{ path: '$', message }]);
}

/** The note text of a checkpoint: origin, size and base64 root, one per line. */
export function checkpointText(checkpoint: Checkpoint): string {
  if (!ORIGIN.test(checkpoint.origin)) throw new RangeError(`origin ${JSON.stringify(checkpoint.origin)} must be non-empty with no spaces or +`);
  if (!Number.isSafeInteger(checkpoint.treeSize) || checkpoint.treeSize < 0) throw new RangeError('tree size must be a whole number >= 0');
  if (checkpoint.rootHash.length !== HASH_SIZE) throw new RangeError('root hash must be 32 bytes');
  const extensions = checkpoint.extensions ?? [];
  if (extensions.some((line) => line === '' || line.includes('\n'))) throw new RangeError('extension lines must be non-empty single lines');
  return [checkpoint.origin, String(checkpoint.treeSize), toBase64(checkpoint.rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

/** Reads a checkpoint's note text (not its signatures). */
export function parseCheckpointText(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed('the text must end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, size, root, ...extensions] = lines;
  if (origin === undefined || !ORIGIN.test(origin)) throw malformed('line 1 (origin) must be non-empty with no spaces or +');
  if (size === undefined || !SIZE.test(size) || !Number.isSafeInteger(Number(size))) throw malformed('line 2 (tree size) must be a decimal number with no leading zeroes');
  const rootHash = root === undefined ? undefined : Buffer.from(root, 'base64');
  if (root === undefined || rootHash === undefined || rootHash.length !== HASH_SIZE || rootHash.toString('base64') !== root) {
    throw malformed('line 3 (root hash) must be the standard base64 of 32 bytes');
  }
  if (extensions.some((line) => line === '')) throw malformed('extension lines must not be empty');
  return { origin, treeSize: Number(size), rootHash, ...(extensions.length === 0 ? {} : { extensions }) };
}

export function signCheckpoint(checkpoint: Checkpoint, signers: ReadonlyArray<NoteSigner>): SignedCheckpoint {
  return { ...checkpoint, note: signNote(checkpointText(checkpoint), signers) };
}

/** Reads a signed checkpoint without checking signatures (for display, or before keys are known). */
export function readCheckpointNote(note: string): SignedCheckpoint {
  return { ...parseCheckpointText(parseNote(note).text), note };
}

/**
 * Verifies a signed checkpoint against the log's trusted keys (see `openNote`) and reads it.
 * When `origin` is given, a checkpoint of another log is refused.
 */
export function openCheckpoint(note: string, verifiers: ReadonlyArray<NoteVerifier>, origin?: string): SignedCheckpoint & { readonly verifiedBy: ReadonlyArray<string> } {
  const opened = openNote(note, verifiers);
  const checkpoint = parseCheckpointText(opened.text);
  if (origin !== undefined && checkpoint.origin !== origin) throw malformed(`origin ${checkpoint.origin} is not the expected ${origin}`);
  return { ...checkpoint, note, verifiedBy: opened.verifiedBy };
}

export function sameCheckpoint(a: Checkpoint, b: Checkpoint): boolean {
  return a.origin === b.origin && a.treeSize === b.treeSize && hashesEqual(a.rootHash, b.rootHash);
}
