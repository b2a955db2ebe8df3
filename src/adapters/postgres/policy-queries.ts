import { EntenteError } from '../../core/errors.js';
import type { Agreement, Organisation, UserProfile } from '../../core/policy/types.js';
import type { AgreementRecord } from '../../ports/policy-store.js';
import { constraintViolation } from './pg-errors.js';
import type { PgDatabase } from './pg-pool.js';

/*
 * Organisations, user profiles and agreement versions. Listings sort with COLLATE "C" (byte
 * order), so the order does not depend on the database's locale and matches SQLite's.
 * The release decision log is in decision-queries.ts.
 */

interface OrganisationRow {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly kind: Organisation['kind'];
  readonly country: string;
  readonly memberships: string[];
  readonly sectors: string[];
}

interface AgreementRow {
  readonly agreement: Agreement;
  readonly source: string;
  readonly recorded_at: string;
  readonly recorded_by: string;
  readonly change: string;
}

const toOrganisation = (r: OrganisationRow): Organisation => ({
  id: r.id, code: r.code, name: r.name, kind: r.kind, country: r.country, memberships: r.memberships, sectors: r.sectors,
});

const toAgreementRecord = (r: AgreementRow): AgreementRecord => ({
  agreement: r.agreement, source: r.source, recordedAt: r.recorded_at, recordedBy: r.recorded_by, change: r.change,
});

const AGREEMENT_COLUMNS = 'agreement, source, recorded_at, recorded_by, change';

/** Upsert by id; a code held by another id violates the UNIQUE constraint on code: ENTENTE_CONFLICT. */
export async function putOrganisation(db: PgDatabase, o: Organisation): Promise<void> {
  try {
    await db.query('putOrganisation',
      `INSERT INTO organisations (id, code, name, kind, country, memberships, sectors) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name, kind = EXCLUDED.kind, country = EXCLUDED.country,
         memberships = EXCLUDED.memberships, sectors = EXCLUDED.sectors`,
      [o.id, o.code, o.name, o.kind, o.country, o.memberships, o.sectors]);
  } catch (error) {
    if (constraintViolation(error)?.state === '23505') {
      throw new EntenteError('ENTENTE_CONFLICT', `Organisation code ${o.code} is already used by an organisation other than ${o.id}`, [], { cause: error });
    }
    throw error;
  }
}

/** An id match wins over a code match, should a code ever look like another organisation's id. */
export async function getOrganisation(db: PgDatabase, codeOrId: string): Promise<Organisation | undefined> {
  const rows = await db.query<OrganisationRow>('getOrganisation',
    'SELECT * FROM organisations WHERE id = $1 OR code = $1 ORDER BY id = $1 DESC LIMIT 1', [codeOrId]);
  return rows[0] === undefined ? undefined : toOrganisation(rows[0]);
}

export async function listOrganisations(db: PgDatabase): Promise<ReadonlyArray<Organisation>> {
  return (await db.query<OrganisationRow>('listOrganisations', 'SELECT * FROM organisations ORDER BY code COLLATE "C"')).map(toOrganisation);
}

export async function deleteOrganisation(db: PgDatabase, code: string): Promise<boolean> {
  return (await db.query('deleteOrganisation', 'DELETE FROM organisations WHERE code = $1 RETURNING 1', [code])).length > 0;
}

export async function putUserProfile(db: PgDatabase, profile: UserProfile): Promise<void> {
  await db.query('putUserProfile',
    'INSERT INTO user_profiles (name, body) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET body = EXCLUDED.body',
    [profile.name, JSON.stringify(profile)]);
}

export async function getUserProfile(db: PgDatabase, name: string): Promise<UserProfile | undefined> {
  const rows = await db.query<{ body: UserProfile }>('getUserProfile', 'SELECT body FROM user_profiles WHERE name = $1', [name]);
  return rows[0]?.body;
}

/**
 * One statement inserts the version only if it is the latest + 1. Two concurrent writers of
 * the same next version both pass the check, but the primary key lets only one insert: the
 * other waits for it to commit and gets a unique violation, reported as the same conflict.
 */
export async function saveAgreement(db: PgDatabase, record: AgreementRecord): Promise<void> {
  const { id, version } = record.agreement;
  // A version that is not an integer cannot be the next one (and would fail the integer cast).
  const inserted = Number.isSafeInteger(version) ? await insertIfNext(db, record) : false;
  if (!inserted) {
    const rows = await db.query<{ v: number | null }>('saveAgreement', 'SELECT max(version) AS v FROM agreement_versions WHERE id = $1', [id]);
    throw versionConflict(id, version, rows[0]?.v ?? 0);
  }
}

async function insertIfNext(db: PgDatabase, record: AgreementRecord): Promise<boolean> {
  const { id, version } = record.agreement;
  try {
    const rows = await db.query('saveAgreement',
      `INSERT INTO agreement_versions (id, version, ${AGREEMENT_COLUMNS})
       SELECT $1::text, $2::integer, $3::jsonb, $4::text, $5::text, $6::text, $7::text
       WHERE $2::integer = (SELECT coalesce(max(version), 0) + 1 FROM agreement_versions WHERE id = $1::text)
       RETURNING 1`,
      [id, version, JSON.stringify(record.agreement), record.source, record.recordedAt, record.recordedBy, record.change]);
    return rows.length > 0;
  } catch (error) {
    if (constraintViolation(error)?.state === '23505') throw versionConflict(id, version, version, error);
    throw error;
  }
}

/** The ENTENTE_CONFLICT of a version out of sequence, naming the agreement and both versions. */
function versionConflict(id: string, version: number, latest: number, cause?: unknown): EntenteError {
  const expected = latest === 0 ? 'a new agreement starts at version 1' : `its latest version is ${latest}, so the next must be ${latest + 1}`;
  return new EntenteError('ENTENTE_CONFLICT', `Agreement ${id}: version ${version} cannot be recorded; ${expected}`,
    [{ path: 'agreement.version', message: `expected ${latest + 1}, got ${version}` }], cause === undefined ? undefined : { cause });
}

export async function getAgreement(db: PgDatabase, id: string, version?: number): Promise<AgreementRecord | undefined> {
  const rows = version === undefined
    ? await db.query<AgreementRow>('getAgreement', `SELECT ${AGREEMENT_COLUMNS} FROM agreement_versions WHERE id = $1 ORDER BY version DESC LIMIT 1`, [id])
    : await db.query<AgreementRow>('getAgreement', `SELECT ${AGREEMENT_COLUMNS} FROM agreement_versions WHERE id = $1 AND version = $2`, [id, version]);
  return rows[0] === undefined ? undefined : toAgreementRecord(rows[0]);
}

export async function listAgreements(db: PgDatabase): Promise<ReadonlyArray<AgreementRecord>> {
  const rows = await db.query<AgreementRow>('listAgreements', `SELECT ${AGREEMENT_COLUMNS} FROM agreement_versions a
    WHERE version = (SELECT max(version) FROM agreement_versions WHERE id = a.id) ORDER BY id COLLATE "C"`);
  return rows.map(toAgreementRecord);
}

export async function listAgreementVersions(db: PgDatabase, id: string): Promise<ReadonlyArray<AgreementRecord>> {
  const rows = await db.query<AgreementRow>('listAgreementVersions',
    `SELECT ${AGREEMENT_COLUMNS} FROM agreement_versions WHERE id = $1 ORDER BY version`, [id]);
  return rows.map(toAgreementRecord);
}
