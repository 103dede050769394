/** Helpers for tests that decide when an answer arrives. */

/** A promise plus the functions that settle it, to answer a call when the test says so. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Resolves once the calls already answered have run their continuations. */
export const flush = () => new Promise((r) => setTimeout(r, 0));
