import { expect } from 'vitest';
import { SeedboxError } from '../../electron/shared/errors';

/** The SeedboxError `run` throws; fails the test on anything else, or on no error at all. */
export function errorOf(run: () => unknown): SeedboxError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SeedboxError);
    return error as SeedboxError;
  }
  throw new Error('expected a SeedboxError, nothing was thrown');
}

/** The SeedboxError `promise` rejects with; fails the test if it resolves or rejects otherwise. */
export async function rejectionOf(promise: Promise<unknown>): Promise<SeedboxError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SeedboxError);
  return error as SeedboxError;
}
