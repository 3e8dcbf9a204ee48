import { expect } from 'vitest';
import { SeedboxError, type ErrorCode } from '../../electron/shared/errors';

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

/** The SeedboxError `promise` rejects with, having checked its code and (given one) its message. */
export async function expectSeedboxError(promise: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<SeedboxError> {
  const error = await rejectionOf(promise);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}
