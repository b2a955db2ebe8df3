import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { releaseFactsOf, type ReleaseFacts } from '../../core/policy/release-facts.js';
import type { GraphEdge, StixLike } from '../../ports/store.js';
import { edgesOf } from '../shared/object-edges.js';
import { BinaryCopyWriter, tsvectorPayload } from './copy-binary.js';
import { normalisedVersion, searchLexemeList, specVersionOf } from './object-facets.js';
import type { PgClient } from './pg-pool.js';

/**
 * Staging tables: per-connection temporary tables (never WAL-logged, emptied at each commit)
 * into which a write first lands, so the merge into the real tables is a few set-wise
 * statements whatever the batch size. Large batches arrive by COPY, small ones by one INSERT.
 */
const STAGING_DDL = `
  CREATE TEMP TABLE IF NOT EXISTS stage_objects (
    ord integer NOT NULL, id text NOT NULL, version text NOT NULL, type text NOT NULL,
    spec_version text NOT NULL, body text NOT NULL, search tsvector NOT NULL,
    release_key text NOT NULL, release_refs text
  ) ON COMMIT DELETE ROWS;
  CREATE TEMP TABLE IF NOT EXISTS stage_edges (
    owner_id text NOT NULL, owner_version text NOT NULL, source text NOT NULL, target text NOT NULL,
    kind text NOT NULL, label text NOT NULL, via text
  ) ON COMMIT DELETE ROWS;`;

/** Connections whose temporary tables exist (they live as long as the session). */
const prepared = new WeakSet<PgClient>();

/** Creates the staging tables on this connection unless it already has them. */
export async function ensureStaging(client: PgClient): Promise<void> {
  if (prepared.has(client)) return;
  await client.query(STAGING_DDL);
  prepared.add(client);
}

/**
 * Forgets that a connection has staging tables: to call when its transaction failed, since a
 * rollback also undoes a CREATE TEMP TABLE made in that transaction.
 */
export function forgetStaging(client: PgClient): void {
  prepared.delete(client);
}

/** One object as the staging row it becomes. */
export interface StagedObject {
  readonly id: string;
  readonly version: string;
  readonly type: string;
  readonly specVersion: string;
  readonly body: string;
  /** The search lexemes, each once. */
  readonly lexemes: ReadonlyArray<string>;
  readonly release: ReleaseFacts;
  readonly edges: ReadonlyArray<GraphEdge>;
}

export function stageObject(object: StixLike): StagedObject {
  return {
    id: object.id,
    version: normalisedVersion(object),
    type: object.type,
    specVersion: specVersionOf(object),
    body: JSON.stringify(object),
    lexemes: searchLexemeList(object),
    release: releaseFactsOf(object),
    edges: edgesOf(object),
  };
}

/** Fills the staging tables with one INSERT each: cheapest for a handful of rows. */
export async function stageByInsert(client: PgClient, rows: ReadonlyArray<StagedObject>): Promise<void> {
  await client.query(
    `INSERT INTO stage_objects SELECT o, i, v, t, sv, b, s::tsvector, rk, rr
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS u(o, i, v, t, sv, b, s, rk, rr)`,
    [rows.map((_, i) => i), rows.map((r) => r.id), rows.map((r) => r.version), rows.map((r) => r.type),
      rows.map((r) => r.specVersion), rows.map((r) => r.body), rows.map((r) => r.lexemes.join(' ')),
      rows.map((r) => r.release.key), rows.map((r) => r.release.refs ?? null)],
  );
  const edges = rows.flatMap((r) => r.edges.map((e) => ({ owner: r, edge: e })));
  if (edges.length === 0) return;
  await client.query(
    `INSERT INTO stage_edges SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
    [edges.map((x) => x.owner.id), edges.map((x) => x.owner.version), edges.map((x) => x.edge.source),
      edges.map((x) => x.edge.target), edges.map((x) => x.edge.kind), edges.map((x) => x.edge.label),
      edges.map((x) => x.edge.via ?? null)],
  );
}

/**
 * Fills the staging tables with COPY … FROM STDIN: the objects in binary format (see
 * copy-binary.ts: no text parsing, and the search lexemes arrive as a ready tsvector), the
 * edges in text format, both in chunks of about 256 KiB so the driver is never handed millions
 * of tiny writes. Then ANALYZE of the key columns only, since temporary tables have no
 * statistics and the merge plan depends on the row count and the number of distinct ids
 * (statistics of the bodies and lexemes would cost more than the rest of the merge's planning).
 */
export async function stageByCopy(client: PgClient, rows: ReadonlyArray<StagedObject>): Promise<void> {
  await copyBinaryRows(client, 'COPY stage_objects FROM STDIN (FORMAT binary)', function* () {
    const writer = new BinaryCopyWriter();
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as StagedObject;
      const lexemes = tsvectorPayload(r.lexemes);
      const full = writer.startRow(9, r.id.length + r.version.length + r.type.length + r.specVersion.length + r.body.length + lexemes.text.length
        + r.release.key.length + (r.release.refs?.length ?? 0));
      if (full !== undefined) yield full;
      writer.int4(i);
      writer.text(r.id);
      writer.text(r.version);
      writer.text(r.type);
      writer.text(r.specVersion);
      writer.text(r.body);
      writer.tsvector(lexemes);
      writer.text(r.release.key);
      writer.text(r.release.refs ?? null);
    }
    yield* writer.end();
  });
  if (rows.some((r) => r.edges.length > 0)) {
    await copyRows(client, 'COPY stage_edges FROM STDIN', function* () {
      for (const r of rows) {
        for (const e of r.edges) {
          yield `${copyText(r.id)}\t${copyText(r.version)}\t${copyText(e.source)}\t${copyText(e.target)}\t${e.kind}\t${copyText(e.label)}\t${e.via === undefined ? '\\N' : copyText(e.via)}\n`;
        }
      }
    });
  }
  await client.query('ANALYZE stage_objects (id, version); ANALYZE stage_edges (owner_id, owner_version)');
}

/** Sends binary COPY chunks as they are made. */
async function copyBinaryRows(client: PgClient, sql: string, chunks: () => Generator<Buffer>): Promise<void> {
  await pipeline(Readable.from(chunks(), { objectMode: false }), client.query(copyFrom(sql)));
}

const CHUNK = 256 * 1024;

/** Sends COPY text-format lines in chunks of about 256 KiB. */
export async function copyRows(client: PgClient, sql: string, lines: Iterable<string> | (() => Generator<string>)): Promise<void> {
  function* chunks(): Generator<string> {
    let buffer = '';
    for (const line of typeof lines === 'function' ? lines() : lines) {
      buffer += line;
      if (buffer.length >= CHUNK) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer.length > 0) yield buffer;
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), client.query(copyFrom(sql)));
}

/** Escapes a value for COPY's text format: backslash, and the row and column separators. */
export function copyText(value: string): string {
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
