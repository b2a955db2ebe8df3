export { openSqliteStore, SqliteStore } from './sqlite-store.js';
export type { SqliteStoreOptions } from './sqlite-store.js';
export { MIGRATIONS, applyMigrations } from './migrations.js';
export type { Migration } from './migrations.js';
export { normaliseTimestamp } from './timestamps.js';
export { searchTextOf, ftsQueryOf } from './object-text.js';
export { edgesOf } from '../shared/object-edges.js';
