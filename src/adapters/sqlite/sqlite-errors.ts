import { EntenteError } from '../../core/errors.js';
import type { ErrorCode } from '../../core/errors.js';

/** What a constraint violation means for the method that hit it. */
export interface ConstraintMeaning {
  readonly unique?: readonly [ErrorCode, string];
  readonly foreignKey?: readonly [ErrorCode, string];
}

const UNAVAILABLE = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_CANTOPEN', 'SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_PERM', 'SQLITE_PROTOCOL']);

function sqliteCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('SQLITE_')) return error.code;
  return undefined;
}

/**
 * Translates a better-sqlite3 error into the catalogue at the adapter boundary (STYLE.md: library
 * errors never leave an adapter untranslated). Domain errors pass through unchanged.
 */
export function translateSqliteError(error: unknown, meaning: ConstraintMeaning = {}): unknown {
  if (error instanceof EntenteError) return error;
  const code = sqliteCode(error);
  if (code === undefined) {
    if (error instanceof TypeError && /database connection is not open/i.test(error.message)) {
      return new EntenteError('ENTENTE_STORE_UNAVAILABLE', 'The SQLite store is closed', [], { cause: error });
    }
    return new EntenteError('ENTENTE_INTERNAL', undefined, [], { cause: error });
  }
  if (code.startsWith('SQLITE_CONSTRAINT_FOREIGNKEY') && meaning.foreignKey) {
    return new EntenteError(meaning.foreignKey[0], meaning.foreignKey[1], [], { cause: error });
  }
  if ((code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') && meaning.unique) {
    return new EntenteError(meaning.unique[0], meaning.unique[1], [], { cause: error });
  }
  const base = code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
  if (UNAVAILABLE.has(base) || base === 'SQLITE_IOERR') {
    return new EntenteError('ENTENTE_STORE_UNAVAILABLE', `The SQLite store failed: ${code}`, [], { cause: error });
  }
  return new EntenteError('ENTENTE_INTERNAL', `SQLite error ${code}`, [], { cause: error });
}
