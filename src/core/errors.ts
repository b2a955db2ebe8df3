/**
 * The one error catalogue of Entente. Every error the product raises has a stable code, the
 * HTTP status it maps to and a default message. `docs/errors.md` documents each code; a test
 * keeps the two in step. Library errors are translated into these codes at adapter boundaries.
 */
export const ERROR_CATALOGUE = {
  ENTENTE_INTERNAL: { status: 500, message: 'Internal error' },
  ENTENTE_BAD_REQUEST: { status: 400, message: 'The request is malformed' },
  ENTENTE_JSON_MALFORMED: { status: 400, message: 'The body is not well-formed JSON' },
  ENTENTE_JSON_TOO_DEEP: { status: 400, message: 'The JSON document nests too deeply' },
  ENTENTE_BODY_TOO_LARGE: { status: 413, message: 'The body exceeds the maximum content length' },
  ENTENTE_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The media type of the body is not supported' },
  ENTENTE_NOT_ACCEPTABLE: { status: 406, message: 'None of the accepted media types can be produced' },
  ENTENTE_UNAUTHENTICATED: { status: 401, message: 'Authentication is required' },
  ENTENTE_FORBIDDEN: { status: 403, message: 'The caller may not do this' },
  ENTENTE_NOT_FOUND: { status: 404, message: 'Not found' },
  ENTENTE_CONFLICT: { status: 409, message: 'The resource already exists' },
  ENTENTE_INVALID_PARAMETER: { status: 400, message: 'A parameter is invalid' },
  ENTENTE_CONFIG_INVALID: { status: 500, message: 'The configuration is invalid' },
  ENTENTE_STIX_INVALID: { status: 422, message: 'The STIX content is invalid' },
  ENTENTE_STIX_INVALID_REF: { status: 422, message: 'A reference points to a type it may not point to' },
  ENTENTE_STIX_DUPLICATE_ID: { status: 422, message: 'The same object version appears twice in one bundle' },
  ENTENTE_STORE_UNAVAILABLE: { status: 503, message: 'The store does not answer' },
  ENTENTE_STORE_MIGRATION_FAILED: { status: 500, message: 'A store migration failed' },
  ENTENTE_COLLECTION_NOT_FOUND: { status: 404, message: 'The collection does not exist' },
  ENTENTE_PATTERN_INVALID: { status: 422, message: 'The STIX pattern is invalid' },
  ENTENTE_LABEL_INVALID: { status: 422, message: 'The security label or banner is invalid' },
  ENTENTE_LABEL_UNKNOWN_MARKING: { status: 422, message: 'An object refers to a marking-definition this node does not know' },
  ENTENTE_AGREEMENT_INVALID: { status: 422, message: 'The agreement is invalid' },
  ENTENTE_PARTY_UNKNOWN: { status: 404, message: 'No organisation has this code' },
  ENTENTE_POLICY_NO_AGREEMENT: { status: 403, message: 'No active agreement lets this party receive data' },
  ENTENTE_ENVELOPE_MALFORMED: { status: 400, message: 'The envelope is not a well-formed Entente envelope' },
  ENTENTE_ENVELOPE_TAMPERED: { status: 422, message: 'The envelope or its signature does not verify' },
  ENTENTE_ENVELOPE_UNKNOWN_SIGNER: { status: 403, message: 'The envelope is signed with a key not pinned for its signer' },
  ENTENTE_ENVELOPE_NOT_FOR_US: { status: 422, message: 'The envelope is not sealed to any key of this node' },
  ENTENTE_ENVELOPE_EXPIRED: { status: 422, message: 'The envelope has expired' },
  ENTENTE_ENVELOPE_REPLAYED: { status: 409, message: 'An envelope with this id was already opened' },
  ENTENTE_ENVELOPE_RELEASE_DIFFERS: { status: 422, message: 'The recipients may not all receive the same content: seal one envelope per recipient' },
  ENTENTE_PEER_KEYS_UNKNOWN: { status: 422, message: 'No public keys are pinned for this peer' },
  ENTENTE_PEER_UNREACHABLE: { status: 502, message: 'The peer node does not answer' },
  ENTENTE_PEER_NOT_LINKED: { status: 404, message: 'No peer link has this code' },
  ENTENTE_RECEIPT_INVALID: { status: 502, message: 'The peer\'s receipt does not verify' },
  ENTENTE_LEDGER_FORK: { status: 409, message: 'The peer showed a checkpoint of another history of its ledger' },
  ENTENTE_LEDGER_PROOF_REQUIRED: { status: 422, message: 'A consistency proof from the last witnessed checkpoint is required' },
  ENTENTE_KEYS_UNREADABLE: { status: 500, message: 'The node keys cannot be decrypted' },
} as const satisfies Record<string, { readonly status: number; readonly message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** One problem inside a document, located by its JSON path (e.g. `$.objects[3].created`). */
export interface ErrorDetail {
  readonly path?: string;
  readonly message: string;
  readonly code?: string;
}

export class EntenteError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ReadonlyArray<ErrorDetail>;

  constructor(code: ErrorCode, message?: string, details: ReadonlyArray<ErrorDetail> = [], options?: ErrorOptions) {
    super(message ?? ERROR_CATALOGUE[code].message, options);
    this.name = 'EntenteError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.details = details;
  }
}

export function isEntenteError(value: unknown): value is EntenteError {
  return value instanceof EntenteError;
}
