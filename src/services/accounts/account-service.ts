import { createHash } from 'node:crypto';
import { EntenteError } from '../../core/errors.js';
import { stixNow, type Clock } from '../../ports/clock.js';
import type { AccountStore, ApiToken, User } from '../../ports/store.js';
import { ShortLivedCache } from '../shared/short-lived-cache.js';
import { hashSecret, mintToken, parseToken } from './api-token.js';
import { DEFAULT_SCRYPT_COST, hashPassword, verifyPassword, type ScryptCost } from './password-hash.js';
import { isRole, type Principal } from './principal.js';

export interface AccountServiceDeps {
  readonly store: AccountStore;
  readonly clock: Clock;
  /** Lower only in tests: the default costs ~50 ms per hash on purpose. */
  readonly scryptCost?: ScryptCost;
  /** How long a verified Basic credential is remembered, in ms (default 60 s; 0 disables). */
  readonly basicCacheMs?: number;
  /**
   * How long a bearer token that held is remembered with its user, in ms (default 1 s; 0
   * disables). Revoking a token or changing, disabling or deleting a user through this service
   * forgets every entry at once; the same changes made by another process (the CLI on the same
   * data directory) take effect here within this time. Failures are never remembered.
   */
  readonly tokenCacheMs?: number;
}

/** A token as listed: everything but the secret, which exists only in the holder's hands. */
export type TokenInfo = Omit<ApiToken, 'secretHash'>;

export interface CreatedToken {
  readonly info: TokenInfo;
  /** `ent_<id>_<secret>`: shown once, never stored. */
  readonly token: string;
}

const MIN_PASSWORD = 12;
const USER_NAME = /^[A-Za-z0-9._@-]{1,64}$/;
const TOUCH_INTERVAL_MS = 60_000;

/** A token that held, with what each request still checks (expiry, when it was last touched). */
interface CachedBearer {
  readonly tokenId: string;
  readonly expiresAt: number | undefined;
  readonly principal: Principal;
  lastUsedAt: number | undefined;
}

interface CachedLogin {
  readonly passwordHash: string;
  readonly until: number;
}

/** Users, roles, passwords and API tokens; the authentication behind every interface. */
export class AccountService {
  readonly #store: AccountStore;
  readonly #clock: Clock;
  readonly #cost: ScryptCost;
  readonly #cacheMs: number;
  // Key: SHA-256 of user NUL password. scrypt on every TAXII page would cap paging at ~20/s.
  readonly #cache = new Map<string, CachedLogin>();
  // Key: SHA-256 of the secret. Saves the token and user statements on every TAXII page.
  readonly #bearers: ShortLivedCache<CachedBearer>;

  constructor(deps: AccountServiceDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#cost = deps.scryptCost ?? DEFAULT_SCRYPT_COST;
    this.#cacheMs = deps.basicCacheMs ?? 60_000;
    this.#bearers = new ShortLivedCache(deps.clock, deps.tokenCacheMs ?? 1000);
  }

  /** Creates a user; refuses a taken name, an unknown role or a password shorter than 12 characters. */
  async createUser(name: string, password: string, roles: ReadonlyArray<string>): Promise<User> {
    if (!USER_NAME.test(name)) {
      throw new EntenteError('ENTENTE_INVALID_PARAMETER', `User name ${JSON.stringify(name)} must be 1-64 letters, digits or . _ @ -`);
    }
    checkRoles(roles);
    checkPassword(password);
    if ((await this.#store.getUser(name)) !== undefined) throw new EntenteError('ENTENTE_CONFLICT', `User ${name} already exists`);
    const user: User = { name, passwordHash: await hashPassword(password, this.#cost), roles: [...roles], createdAt: stixNow(this.#clock), disabled: false };
    await this.#store.createUser(user);
    return user;
  }

  /**
   * Creates the first administrator (`admin`) for `entente init`; refuses when any user exists, so
   * that re-running init cannot reset a password.
   */
  async bootstrapAdmin(password: string, name = 'admin'): Promise<User> {
    if ((await this.#store.listUsers()).length > 0) throw new EntenteError('ENTENTE_CONFLICT', 'Users already exist: bootstrap is only for an empty node');
    return this.createUser(name, password, ['admin']);
  }

  async listUsers(): Promise<ReadonlyArray<Omit<User, 'passwordHash'>>> {
    return (await this.#store.listUsers()).map(({ passwordHash: _hidden, ...rest }) => rest);
  }

  async setPassword(name: string, password: string): Promise<void> {
    checkPassword(password);
    const hash = await hashPassword(password, this.#cost);
    if (!(await this.#changed(this.#store.updateUser(name, { passwordHash: hash })))) throw notFound(name);
  }

  async setRoles(name: string, roles: ReadonlyArray<string>): Promise<void> {
    checkRoles(roles);
    if (!(await this.#changed(this.#store.updateUser(name, { roles: [...roles] })))) throw notFound(name);
  }

  async setDisabled(name: string, disabled: boolean): Promise<void> {
    if (!(await this.#changed(this.#store.updateUser(name, { disabled })))) throw notFound(name);
  }

  async deleteUser(name: string): Promise<void> {
    if (!(await this.#changed(this.#store.deleteUser(name)))) throw notFound(name);
  }

  /** Issues an API token for a user; `expiresAt` is a timestamp or absent for no expiry. */
  async createToken(userName: string, options: { readonly description?: string; readonly expiresAt?: string } = {}): Promise<CreatedToken> {
    if ((await this.#store.getUser(userName)) === undefined) throw notFound(userName);
    if (options.expiresAt !== undefined && Number.isNaN(Date.parse(options.expiresAt))) {
      throw new EntenteError('ENTENTE_INVALID_PARAMETER', `expiresAt ${JSON.stringify(options.expiresAt)} is not a timestamp`);
    }
    // A token born expired would answer 401 to its every use.
    if (options.expiresAt !== undefined && Date.parse(options.expiresAt) <= this.#clock.now()) {
      throw new EntenteError('ENTENTE_INVALID_PARAMETER', `expiresAt ${options.expiresAt} is not in the future (now ${stixNow(this.#clock)})`);
    }
    const minted = mintToken();
    const token: ApiToken = {
      id: minted.id,
      userName,
      secretHash: hashSecret(minted.secret),
      description: options.description ?? '',
      createdAt: stixNow(this.#clock),
      ...(options.expiresAt === undefined ? {} : { expiresAt: new Date(Date.parse(options.expiresAt)).toISOString() }),
    };
    await this.#store.createToken(token);
    return { info: withoutSecret(token), token: minted.token };
  }

  async listTokens(userName?: string): Promise<ReadonlyArray<TokenInfo>> {
    return (await this.#store.listTokens(userName)).map(withoutSecret);
  }

  async revokeToken(id: string): Promise<void> {
    if (!(await this.#changed(this.#store.deleteToken(id)))) throw new EntenteError('ENTENTE_NOT_FOUND', `No token ${id}`);
  }

  /** The principal for a user name and password, or undefined (unknown, disabled or wrong password). */
  async authenticateBasic(name: string, password: string): Promise<Principal | undefined> {
    const user = await this.#store.getUser(name);
    const key = createHash('sha256').update(`${name}\u0000${password}`).digest('hex');
    if (user === undefined || user.disabled) {
      // Spend the same time as for a real user, so that timing does not reveal which names exist.
      await verifyPassword(password, DUMMY_HASH);
      return undefined;
    }
    const now = this.#clock.now();
    const cached = this.#cache.get(key);
    if (cached !== undefined && cached.until > now && cached.passwordHash === user.passwordHash) return principalOf(user);
    if (!(await verifyPassword(password, user.passwordHash))) return undefined;
    if (this.#cacheMs > 0) {
      if (this.#cache.size > 10_000) this.#cache.clear();
      this.#cache.set(key, { passwordHash: user.passwordHash, until: now + this.#cacheMs });
    }
    return principalOf(user);
  }

  /** The principal for a bearer token, or undefined (malformed, unknown, expired, or its user disabled). */
  async authenticateBearer(bearer: string): Promise<Principal | undefined> {
    const parsed = parseToken(bearer);
    if (parsed === undefined) return undefined;
    const secretHash = hashSecret(parsed.secret);
    const now = this.#clock.now();
    const generation = this.#bearers.generation;
    const cached = this.#bearers.get(secretHash);
    if (cached !== undefined && cached.tokenId === parsed.id) {
      if (cached.expiresAt !== undefined && cached.expiresAt <= now) return undefined;
      await this.#touch(cached, now);
      return cached.principal;
    }
    const token = await this.#store.findTokenBySecretHash(secretHash);
    if (token === undefined || token.id !== parsed.id) return undefined;
    const expiresAt = token.expiresAt === undefined ? undefined : Date.parse(token.expiresAt);
    if (expiresAt !== undefined && expiresAt <= now) return undefined;
    const user = await this.#store.getUser(token.userName);
    if (user === undefined || user.disabled) return undefined;
    const entry: CachedBearer = { tokenId: token.id, expiresAt, principal: principalOf(user), lastUsedAt: token.lastUsedAt === undefined ? undefined : Date.parse(token.lastUsedAt) };
    await this.#touch(entry, now);
    this.#bearers.set(secretHash, entry, generation);
    return entry.principal;
  }

  /** Awaits a change of tokens or users, then forgets the remembered tokens, whatever came of it. */
  async #changed<T>(write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.#bearers.clear();
    }
  }

  // Touching lastUsedAt on every request would turn each read into a write.
  async #touch(entry: CachedBearer, now: number): Promise<void> {
    if (entry.lastUsedAt !== undefined && now - entry.lastUsedAt <= TOUCH_INTERVAL_MS) return;
    entry.lastUsedAt = now;
    await this.#store.touchToken(entry.tokenId, stixNow(this.#clock));
  }
}

// A valid hash of a random password, so that unknown users cost one scrypt as known ones do.
const DUMMY_HASH = 'scrypt$N=16384,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function withoutSecret({ secretHash: _hidden, ...info }: ApiToken): TokenInfo {
  return info;
}

function principalOf(user: User): Principal {
  return { name: user.name, roles: user.roles };
}

function checkRoles(roles: ReadonlyArray<string>): void {
  if (roles.length === 0) throw new EntenteError('ENTENTE_INVALID_PARAMETER', 'A user needs at least one role');
  for (const role of roles) if (!isRole(role)) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `Unknown role ${JSON.stringify(role)}`);
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new EntenteError('ENTENTE_INVALID_PARAMETER', `A password needs at least ${MIN_PASSWORD} characters`);
}

function notFound(name: string): EntenteError {
  return new EntenteError('ENTENTE_NOT_FOUND', `No user ${name}`);
}
