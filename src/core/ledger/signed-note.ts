import { EntenteError } from '../errors.js';

/**
 * Signed notes (C2SP signed-note): a text ending in a newline, a blank line, then one line per
 * signature: U+2014 em dash, space, key name, space, base64(4-byte big-endian key ID ||
 * signature). The core knows no signature algorithm: a signer or verifier is anything that
 * signs or checks bytes under a (name, key ID); `ed25519.ts` gives the one Entente uses.
 */
export interface NoteSigner {
  readonly name: string;
  /** uint32, the first 4 bytes of the signature. */
  readonly keyId: number;
  sign(message: Uint8Array): Uint8Array;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  readonly signature: Uint8Array;
}

export interface ParsedNote {
  /** The signed text, with its final newline. */
  readonly text: string;
  readonly signatures: ReadonlyArray<NoteSignature>;
}

export interface OpenedNote extends ParsedNote {
  /** Names of the trusted keys whose signature verified (at least one). */
  readonly verifiedBy: ReadonlyArray<string>;
}

const DASH = '\u2014 ';
/** More than the 16 the specification says verifiers must accept; bounds work on hostile input. */
const MAX_SIGNATURES = 100;
const KEY_NAME = /^[^\s+]+$/u;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function malformed(message: string, path = '$'): EntenteError {
  return new EntenteError('ENTENTE_INVALID_PARAMETER', `Malformed signed note: ${message}`, [{ path, message }]);
}

function checkText(text: string): void {
  if (!text.endsWith('\n')) throw malformed('the text must end with a newline');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw malformed('the text contains a control character other than newline');
}

/** Signs `text` (which must end in a newline) with every signer, in order. */
export function signNote(text: string, signers: ReadonlyArray<NoteSigner>): string {
  checkText(text);
  if (signers.length === 0) throw new RangeError('a signed note needs at least one signer');
  const message = Buffer.from(text, 'utf8');
  const lines = signers.map((signer) => {
    if (!KEY_NAME.test(signer.name)) throw new RangeError(`key name ${JSON.stringify(signer.name)} must be non-empty with no spaces or +`);
    const signature = signer.sign(message);
    const bytes = Buffer.alloc(4 + signature.length);
    bytes.writeUInt32BE(signer.keyId >>> 0, 0);
    bytes.set(signature, 4);
    return `${DASH}${signer.name} ${bytes.toString('base64')}\n`;
  });
  return `${text}\n${lines.join('')}`;
}

/** Splits a note into its text and signature lines, checking only the syntax. */
export function parseNote(note: string): ParsedNote {
  // The text ends at the last blank line: it may itself contain blank lines.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line separates the text from the signatures');
  const text = note.slice(0, split + 1);
  checkText(text);
  const block = note.slice(split + 2);
  if (!block.endsWith('\n')) throw malformed('the last signature line must end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line, i): NoteSignature => {
    const where = `signature line ${i + 1}`;
    if (!line.startsWith(DASH)) throw malformed(`${where} does not start with an em dash and a space`);
    const parts = line.slice(DASH.length).split(' ');
    const [name, encoded] = parts;
    if (parts.length !== 2 || name === undefined || encoded === undefined || !KEY_NAME.test(name)) throw malformed(`${where} is not "— <key name> <base64 signature>"`);
    if (!BASE64.test(encoded) || encoded.length % 4 !== 0) throw malformed(`${where}: the signature is not standard base64`);
    const bytes = Buffer.from(encoded, 'base64');
    if (bytes.length < 5) throw malformed(`${where}: the signature is shorter than a key ID and one byte`);
    return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4) };
  });
  return { text, signatures };
}

/**
 * Verifies a note against trusted keys by the rules of the specification: signatures by unknown
 * keys (name and ID not both matching) are ignored; a known key whose signature fails rejects the
 * whole note; at least one known key must have signed. Refusals are ENTENTE_INVALID_PARAMETER.
 */
export function openNote(note: string, verifiers: ReadonlyArray<NoteVerifier>): OpenedNote {
  const parsed = parseNote(note);
  const message = Buffer.from(parsed.text, 'utf8');
  const verifiedBy: string[] = [];
  for (const signature of parsed.signatures) {
    const verifier = verifiers.find((v) => v.name === signature.name && (v.keyId >>> 0) === signature.keyId);
    if (verifier === undefined) continue;
    if (!verifier.verify(message, signature.signature)) {
      throw new EntenteError('ENTENTE_INVALID_PARAMETER', `The signature of ${signature.name} on the note does not verify`,
        [{ path: '$', message: `bad signature by ${signature.name}` }]);
    }
    verifiedBy.push(signature.name);
  }
  if (verifiedBy.length === 0) {
    throw new EntenteError('ENTENTE_INVALID_PARAMETER', `The note carries no signature by a trusted key (signed by: ${parsed.signatures.map((s) => s.name).join(', ')})`,
      [{ path: '$', message: 'no signature by a trusted key' }]);
  }
  return { ...parsed, verifiedBy };
}
