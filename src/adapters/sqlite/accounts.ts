import type { ApiToken, User } from '../../ports/store.js';
import type { SqliteContext } from './context.js';

interface UserRow { name: string; password_hash: string; roles: string; created_at: string; disabled: number }
interface TokenRow { id: string; user_name: string; secret_hash: string; description: string; created_at: string; expires_at: string | null; last_used_at: string | null }

const toUser = (r: UserRow): User => ({ name: r.name, passwordHash: r.password_hash, roles: JSON.parse(r.roles) as string[], createdAt: r.created_at, disabled: r.disabled === 1 });
const toToken = (r: TokenRow): ApiToken => ({
  id: r.id, userName: r.user_name, secretHash: r.secret_hash, description: r.description, createdAt: r.created_at,
  ...(r.expires_at !== null ? { expiresAt: r.expires_at } : {}),
  ...(r.last_used_at !== null ? { lastUsedAt: r.last_used_at } : {}),
});
const TOKEN_COLUMNS = 'id, user_name, secret_hash, description, created_at, expires_at, last_used_at';

export function createUser(ctx: SqliteContext, u: User): void {
  ctx.sql.get('INSERT INTO users (name, password_hash, roles, created_at, disabled) VALUES (?, ?, ?, ?, ?)')
    .run(u.name, u.passwordHash, JSON.stringify(u.roles), u.createdAt, u.disabled ? 1 : 0);
}

export function getUser(ctx: SqliteContext, name: string): User | undefined {
  const row = ctx.sql.get('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
  return row === undefined ? undefined : toUser(row);
}

export function listUsers(ctx: SqliteContext): User[] {
  return (ctx.sql.get('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(toUser);
}

/** Changes only the fields given; false when the user does not exist. */
export function updateUser(ctx: SqliteContext, name: string, change: Partial<Pick<User, 'passwordHash' | 'roles' | 'disabled'>>): boolean {
  const result = ctx.sql.get(`UPDATE users SET password_hash = coalesce(?, password_hash), roles = coalesce(?, roles),
    disabled = coalesce(?, disabled) WHERE name = ?`).run(
    change.passwordHash ?? null,
    change.roles !== undefined ? JSON.stringify(change.roles) : null,
    change.disabled !== undefined ? (change.disabled ? 1 : 0) : null,
    name,
  );
  return result.changes > 0;
}

export function deleteUser(ctx: SqliteContext, name: string): boolean {
  return ctx.sql.get('DELETE FROM users WHERE name = ?').run(name).changes > 0;
}

export function createToken(ctx: SqliteContext, t: ApiToken): void {
  ctx.sql.get(`INSERT INTO tokens (${TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(t.id, t.userName, t.secretHash, t.description, t.createdAt, t.expiresAt ?? null, t.lastUsedAt ?? null);
}

export function findTokenBySecretHash(ctx: SqliteContext, secretHash: string): ApiToken | undefined {
  const row = ctx.sql.get(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE secret_hash = ?`).get(secretHash) as TokenRow | undefined;
  return row === undefined ? undefined : toToken(row);
}

export function listTokens(ctx: SqliteContext, userName?: string): ApiToken[] {
  return (ctx.sql.get(`SELECT ${TOKEN_COLUMNS} FROM tokens WHERE @u IS NULL OR user_name = @u ORDER BY created_at, id`)
    .all({ u: userName ?? null }) as TokenRow[]).map(toToken);
}

export function deleteToken(ctx: SqliteContext, id: string): boolean {
  return ctx.sql.get('DELETE FROM tokens WHERE id = ?').run(id).changes > 0;
}

export function touchToken(ctx: SqliteContext, id: string, at: string): void {
  ctx.sql.get('UPDATE tokens SET last_used_at = ? WHERE id = ?').run(at, id);
}
