/**
 * The node's cryptographic identity and the public keys of its peers. The embedded adapter keeps
 * key files on disk, encrypted at rest; an HSM or KMS could stand behind the same port.
 */

/** A JSON Web Key (RFC 7517) as plain data; OKP keys (RFC 8037) carry `crv`, `x` and, when private, `d`. */
export interface Jwk {
  readonly kty: string;
  readonly crv?: string;
  readonly x?: string;
  readonly d?: string;
  readonly kid?: string;
  readonly use?: string;
  readonly alg?: string;
  readonly [member: string]: unknown;
}

/** `sig`: Ed25519 for signing envelopes; `enc`: X25519 for receiving sealed ones (RFC 7517 section 4.2). */
export type KeyUse = 'sig' | 'enc';

/**
 * - `current`: used to sign and advertised to peers for sealing;
 * - `overlap`: replaced by a rotation, still opens envelopes sealed to it and is still advertised for verifying, until `retiresAt`;
 * - `retired`: past its overlap; kept only as a public record.
 */
export type KeyState = 'current' | 'overlap' | 'retired';

export interface NodeKey {
  /** RFC 7638 thumbprint of the public key (SHA-256, base64url). */
  readonly kid: string;
  readonly use: KeyUse;
  readonly publicJwk: Jwk;
  readonly created: string;
  readonly state: KeyState;
  /** When an `overlap` key stops being used, or when a `retired` key stopped. */
  readonly retiresAt?: string;
}

/** A key of this node with its private half, for signing or opening. */
export interface PrivateNodeKey {
  readonly kid: string;
  readonly privateJwk: Jwk;
}

/** A JWK Set (RFC 7517 section 5) of public keys, as handed to peers; `organisation` names the owner. */
export interface PublicKeySet {
  readonly organisation?: string;
  readonly keys: ReadonlyArray<Jwk>;
}

export interface KeyRing {
  /** Creates the node's signing and key-agreement keys when there are none; says whether it did. */
  ensure(): Promise<{ readonly created: boolean }>;
  /** Every key, current first, then overlap, then retired, newest first within each. */
  list(): Promise<ReadonlyArray<NodeKey>>;
  /** Makes new keys; the current ones stay usable for opening and verifying for `overlapMs` (default 7 days). */
  rotate(options?: { readonly overlapMs?: number }): Promise<ReadonlyArray<NodeKey>>;
  /** The current signing key. */
  signingKey(): Promise<PrivateNodeKey>;
  /** The key-agreement key with this kid, when it is current or in its overlap period. */
  decryptionKey(kid: string): Promise<PrivateNodeKey | undefined>;
  /** The public keys peers need: current and overlap keys, current first, with `kid`, `use` and `alg`. */
  publicKeySet(): Promise<PublicKeySet>;
}

/** The public keys of one peer, pinned after checking their fingerprints out of band. */
export interface PeerKeys {
  readonly organisation: string;
  /** Ed25519 keys that may sign for this organisation. */
  readonly signing: ReadonlyArray<Jwk>;
  /** X25519 keys to seal to, the one to use first. */
  readonly encryption: ReadonlyArray<Jwk>;
  readonly pinnedAt: string;
  /** Optional end of validity: after it the keys neither verify nor receive. */
  readonly validUntil?: string;
}

/**
 * Where peers' pinned keys are kept. The file adapter keeps them beside the node's own keys; the
 * store could implement this port later so that every process of a scaled-out node shares them.
 */
export interface PeerKeyDirectory {
  get(organisation: string): Promise<PeerKeys | undefined>;
  list(): Promise<ReadonlyArray<PeerKeys>>;
  /** Pins (or replaces) the keys of one peer. */
  pin(keys: PeerKeys): Promise<void>;
  remove(organisation: string): Promise<boolean>;
}

/**
 * Envelope ids already opened, each remembered until its envelope expires: after that the expiry
 * check refuses a replay by itself, so the guard needs to hold no more than the live envelopes.
 */
export interface ReplayGuard {
  /** Records the id; `false` when it was already recorded and has not yet expired. */
  remember(id: string, expiresAt: number): Promise<boolean>;
}
