import { describe } from 'vitest';
import { describeStoreContract } from '../../ports/store.contract.js';
import { SKIP_NOTE, TEST_PG_URL, openTestStore } from './test-support.js';

if (TEST_PG_URL === undefined) console.warn(SKIP_NOTE);

describe.skipIf(TEST_PG_URL === undefined)('PostgresStore', () => {
  describeStoreContract('postgres', () => openTestStore(TEST_PG_URL as string));
});
