import { isEntenteError, type ErrorDetail } from '../../errors.js';

/** The details of the EntenteError `run` throws; fails the test when it throws nothing. */
export function problems(run: () => unknown): ReadonlyArray<ErrorDetail> {
  try {
    run();
  } catch (error) {
    if (isEntenteError(error)) return error.details;
    throw error;
  }
  throw new Error('expected an error');
}
