/**
 * Signed receipts: the receiving node says, under its own signature, which objects of an
 * envelope it stored and which it refused and why. The sender moves its cursor only on a receipt
 * that verifies against the receiver's pinned key, so delivery is proven, not assumed.
 */
import { FlattenedSign, flattenedVerify, importJWK, type JWK } from 'jose';
import { EntenteError } from '../../core/errors.js';
import { SIGNATURE_ALG } from '../../core/federation/envelope-types.js';
import { canonicalJson } from '../../core/stix/canonical-json.js';
import type { KeyRing, PeerKeyDirectory } from '../../ports/key-ring.js';

export const RECEIPT_TYPE = 'entente-receipt+jws';

export interface ReceiptResult {
  readonly id: string;
  readonly version: string;
  readonly outcome: 'added' | 'duplicate' | 'rejected';
  /** For a rejection: the rule that refused it (`classification-ceiling`, `invalid`, ...). */
  readonly reason?: string;
}

export interface Receipt {
  readonly envelope: string;
  /** The organisation that received (and signs the receipt). */
  readonly receiver: string;
  /** The organisation that delivered the envelope. */
  readonly sender: string;
  readonly origin: string;
  readonly receivedAt: string;
  readonly results: ReadonlyArray<ReceiptResult>;
}

export interface SignedReceipt {
  readonly receipt: Receipt;
  /** Flattened JWS (RFC 7515 section 7.2.2) over the canonical JSON of `receipt`. */
  readonly jws: { readonly protected: string; readonly payload: string; readonly signature: string };
}

export async function signReceipt(receipt: Receipt, keys: KeyRing): Promise<SignedReceipt> {
  const key = await keys.signingKey();
  const payload = new TextEncoder().encode(canonicalJson(receipt));
  const jws = await new FlattenedSign(payload)
    .setProtectedHeader({ alg: SIGNATURE_ALG, typ: RECEIPT_TYPE, kid: key.kid, signer: receipt.receiver })
    .sign(await importJWK(key.privateJwk as JWK, SIGNATURE_ALG));
  return { receipt, jws: { protected: jws.protected ?? '', payload: jws.payload, signature: jws.signature } };
}

const invalid = (message: string, cause?: unknown): EntenteError => new EntenteError('ENTENTE_RECEIPT_INVALID', message, [], cause === undefined ? undefined : { cause });

/** Verifies a receipt from `peer` for `envelope`; ENTENTE_RECEIPT_INVALID otherwise. */
export async function verifyReceipt(value: unknown, peer: string, envelope: string, peers: PeerKeyDirectory): Promise<Receipt> {
  const signed = value as Partial<SignedReceipt> | undefined;
  const jws = signed?.jws;
  if (typeof jws?.protected !== 'string' || typeof jws.payload !== 'string' || typeof jws.signature !== 'string') throw invalid(`${peer} sent no signed receipt for envelope ${envelope}`);
  let header: { kid?: unknown; typ?: unknown };
  try {
    header = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8')) as { kid?: unknown; typ?: unknown };
  } catch (error) {
    throw invalid(`The receipt of ${peer} has an unreadable header`, error);
  }
  if (header.typ !== RECEIPT_TYPE) throw invalid(`The receipt of ${peer} is not an Entente receipt (typ ${String(header.typ)})`);
  const keys = await peers.get(peer);
  const jwk = keys?.signing.find((k) => k['kid'] === header.kid);
  if (jwk === undefined) throw invalid(`The receipt of ${peer} is signed with key ${String(header.kid)}, which is not pinned for ${peer}`);
  let payload: Uint8Array;
  try {
    payload = (await flattenedVerify(jws, await importJWK(jwk as JWK, SIGNATURE_ALG), { algorithms: [SIGNATURE_ALG] })).payload;
  } catch (error) {
    throw invalid(`The receipt of ${peer} does not verify against its pinned key`, error);
  }
  const receipt = JSON.parse(new TextDecoder().decode(payload)) as Receipt;
  if (receipt.envelope !== envelope || receipt.receiver !== peer) throw invalid(`${peer} signed a receipt for envelope ${receipt.envelope} of ${receipt.receiver}, not for ${envelope}`);
  return receipt;
}
