import { EntenteError } from '../../core/errors.js';
import type { ApiToken, User } from '../../ports/store.js';
import type { PgDatabase } from './pg-pool.js';

interface UserRow {
  readonly name: string;
  readonly password_hash: string;
  readonly roles: string[];
  readonly created_at: string;
  readonly disabled: boolean;
}

interface TokenRow {
  readonly id: string;
  readonly user_name: string;
  readonly secret_hash: string;
  readonly description: string;
  readonly created_at: string;
  readonly expires_at: string | null;
  readonly last_used_at: string | null;
}

const toUser = (row: UserRow): User => ({
  name: row.name, passwordHash: row.password_hash, roles: row.roles, createdAt: row.created_at, disabled: row.disabled,
});

const toToken = (row: TokenRow): ApiToken => ({
  id: row.id,
  userName: row.user_name,
  secretHash: row.secret_hash,
  description: row.description,
  createdAt: row.created_at,
  ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
  ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
});

/** Account storage: users and API tokens (the secret itself is never stored). */
export class AccountQueries {
  constructor(private readonly db: PgDatabase) {}

  async createUser(user: User): Promise<void> {
    const rows = await this.db.query('createUser',
      `INSERT INTO users (name, password_hash, roles, created_at, disabled) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT DO NOTHING RETURNING 1`, [user.name, user.passwordHash, user.roles, user.createdAt, user.disabled]);
    if (rows.length === 0) throw new EntenteError('ENTENTE_CONFLICT', `User ${user.name} already exists`);
  }

  async getUser(name: string): Promise<User | undefined> {
    const rows = await this.db.query<UserRow>('getUser', 'SELECT * FROM users WHERE name = $1', [name]);
    return rows[0] === undefined ? undefined : toUser(rows[0]);
  }

  async listUsers(): Promise<ReadonlyArray<User>> {
    return (await this.db.query<UserRow>('listUsers', 'SELECT * FROM users ORDER BY name')).map(toUser);
  }

  /** Changes only the fields given; false when the user does not exist. */
  async updateUser(name: string, change: Partial<Pick<User, 'passwordHash' | 'roles' | 'disabled'>>): Promise<boolean> {
    const rows = await this.db.query('updateUser',
      `UPDATE users SET password_hash = COALESCE($2, password_hash), roles = COALESCE($3, roles), disabled = COALESCE($4, disabled)
       WHERE name = $1 RETURNING 1`, [name, change.passwordHash ?? null, change.roles ?? null, change.disabled ?? null]);
    return rows.length > 0;
  }

  /** Deletes the user and, by cascade, their tokens. */
  async deleteUser(name: string): Promise<boolean> {
    return (await this.db.query('deleteUser', 'DELETE FROM users WHERE name = $1 RETURNING 1', [name])).length > 0;
  }

  async createToken(token: ApiToken): Promise<void> {
    const rows = await this.db.query('createToken',
      `INSERT INTO api_tokens (id, user_name, secret_hash, description, created_at, expires_at, last_used_at)
       SELECT $1, name, $3, $4, $5, $6, $7 FROM users WHERE name = $2
       ON CONFLICT DO NOTHING RETURNING 1`,
      [token.id, token.userName, token.secretHash, token.description, token.createdAt, token.expiresAt ?? null, token.lastUsedAt ?? null]);
    if (rows.length === 0) {
      const owner = await this.getUser(token.userName);
      if (owner === undefined) throw new EntenteError('ENTENTE_NOT_FOUND', `User ${token.userName} does not exist`);
      throw new EntenteError('ENTENTE_CONFLICT', `Token ${token.id} already exists`);
    }
  }

  async findTokenBySecretHash(secretHash: string): Promise<ApiToken | undefined> {
    const rows = await this.db.query<TokenRow>('findToken', 'SELECT * FROM api_tokens WHERE secret_hash = $1', [secretHash]);
    return rows[0] === undefined ? undefined : toToken(rows[0]);
  }

  async listTokens(userName?: string): Promise<ReadonlyArray<ApiToken>> {
    const rows = await this.db.query<TokenRow>('listTokens',
      'SELECT * FROM api_tokens WHERE $1::text IS NULL OR user_name = $1 ORDER BY created_at, id', [userName ?? null]);
    return rows.map(toToken);
  }

  async deleteToken(id: string): Promise<boolean> {
    return (await this.db.query('deleteToken', 'DELETE FROM api_tokens WHERE id = $1 RETURNING 1', [id])).length > 0;
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.db.query('touchToken', 'UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [id, at]);
  }
}
