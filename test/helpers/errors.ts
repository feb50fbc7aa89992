// Run a function that must fail on bad input: an InputError with exit code 2, returned for more checks.
import { expect } from 'vitest';
import { InputError } from '../../sim/errors.js';

export function inputError(fn: () => unknown): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(InputError);
  expect((caught as InputError).exitCode).toBe(2);
  return caught as InputError;
}
