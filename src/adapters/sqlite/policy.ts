import { EntenteError } from '../../core/errors.js';
import type { Agreement, Organisation, UserProfile } from '../../core/policy/types.js';
import type { AgreementRecord } from '../../ports/policy-store.js';
import type { SqliteContext } from './context.js';

/*
 * Organisations, user profiles and agreement versions: small tables read far more often than
 * written. The release decision log is in decisions.ts.
 */

interface OrganisationRow {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: Organisation['kind'];
  readonly country: string;
  readonly memberships: string;
  readonly sectors: string;
}

interface AgreementRow {
  readonly agreement: string;
  readonly source: string;
  readonly recorded_at: string;
  readonly recorded_by: string;
  readonly change: string;
}

const toOrganisation = (r: OrganisationRow): Organisation => ({
  id: r.id, code: r.code, name: r.name, kind: r.kind, country: r.country,
  memberships: JSON.parse(r.memberships) as string[], sectors: JSON.parse(r.sectors) as string[],
});

const toAgreementRecord = (r: AgreementRow): AgreementRecord => ({
  agreement: JSON.parse(r.agreement) as Agreement, source: r.source, recordedAt: r.recorded_at, recordedBy: r.recorded_by, change: r.change,
});

const AGREEMENT_COLUMNS = 'agreement, source, recorded_at, recorded_by, change';

/** Upsert by id; a code held by another id hits the UNIQUE constraint (the caller maps it to ENTENTE_CONFLICT). */
export function putOrganisation(ctx: SqliteContext, o: Organisation): void {
  ctx.sql.get(`INSERT INTO organisations (id, code, name, kind, country, memberships, sectors) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, kind = excluded.kind, country = excluded.country,
      memberships = excluded.memberships, sectors = excluded.sectors`)
    .run(o.id, o.code, o.name, o.kind, o.country, JSON.stringify(o.memberships), JSON.stringify(o.sectors));
}

/** An id match wins over a code match, should a code ever look like another organisation's id. */
export function getOrganisation(ctx: SqliteContext, codeOrId: string): Organisation | undefined {
  const row = ctx.sql.get('SELECT * FROM organisations WHERE id = @k OR code = @k ORDER BY id = @k DESC LIMIT 1')
    .get({ k: codeOrId }) as OrganisationRow | undefined;
  return row === undefined ? undefined : toOrganisation(row);
}

export function listOrganisations(ctx: SqliteContext): Organisation[] {
  return (ctx.sql.get('SELECT * FROM organisations ORDER BY code').all() as OrganisationRow[]).map(toOrganisation);
}

export function deleteOrganisation(ctx: SqliteContext, code: string): boolean {
  return ctx.sql.get('DELETE FROM organisations WHERE code = ?').run(code).changes > 0;
}

export function putUserProfile(ctx: SqliteContext, profile: UserProfile): void {
  ctx.sql.get('INSERT INTO user_profiles (name, body) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body')
    .run(profile.name, JSON.stringify(profile));
}

export function getUserProfile(ctx: SqliteContext, name: string): UserProfile | undefined {
  const row = ctx.sql.get('SELECT body FROM user_profiles WHERE name = ?').get(name) as { body: string } | undefined;
  return row === undefined ? undefined : (JSON.parse(row.body) as UserProfile);
}

function latestVersion(ctx: SqliteContext, id: string): number {
  const row = ctx.sql.get('SELECT max(version) AS v FROM agreement_versions WHERE id = ?').get(id) as { v: number | null };
  return row.v ?? 0;
}

/**
 * Checks the version sequence, then inserts. Run inside an IMMEDIATE transaction: the write
 * lock is held from the check to the insert, so another process cannot slip a version between.
 */
export function saveAgreement(ctx: SqliteContext, record: AgreementRecord): void {
  const { id, version } = record.agreement;
  const latest = latestVersion(ctx, id);
  if (version !== latest + 1) throw versionConflict(id, version, latest);
  ctx.sql.get(`INSERT INTO agreement_versions (id, version, ${AGREEMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(id, version, JSON.stringify(record.agreement), record.source, record.recordedAt, record.recordedBy, record.change);
}

/** The ENTENTE_CONFLICT of a version out of sequence, naming the agreement and both versions. */
export function versionConflict(id: string, version: number, latest: number): EntenteError {
  const expected = latest === 0 ? `a new agreement starts at version 1` : `its latest version is ${latest}, so the next must be ${latest + 1}`;
  return new EntenteError('ENTENTE_CONFLICT', `Agreement ${id}: version ${version} cannot be recorded; ${expected}`,
    [{ path: 'agreement.version', message: `expected ${latest + 1}, got ${version}` }]);
}

export function getAgreement(ctx: SqliteContext, id: string, version?: number): AgreementRecord | undefined {
  const row = (version === undefined
    ? ctx.sql.get(`SELECT ${AGREEMENT_COLUMNS} FROM agreement_versions WHERE id = ? ORDER BY version DESC LIMIT 1`).get(id)
    : ctx.sql.get(`SELECT ${AGREEMENT_COLUMNS} FROM agreement_versions WHERE id = ? AND version = ?`).get(id, version)) as AgreementRow | undefined;
  return row === undefined ? undefined : toAgreementRecord(row);
}

export function listAgreements(ctx: SqliteContext): AgreementRecord[] {
  const rows = ctx.sql.get(`SELECT ${AGREEMENT_COLUMNS} FROM agreement_versions a
    WHERE version = (SELECT max(version) FROM agreement_versions WHERE id = a.id) ORDER BY id`).all() as AgreementRow[];
  return rows.map(toAgreementRecord);
}

export function listAgreementVersions(ctx: SqliteContext, id: string): AgreementRecord[] {
  const rows = ctx.sql.get(`SELECT ${AGREEMENT_COLUMNS} FROM agreement_versions WHERE id = ? ORDER BY version`).all(id) as AgreementRow[];
  return rows.map(toAgreementRecord);
}
