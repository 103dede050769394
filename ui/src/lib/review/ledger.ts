/**
 * Bookkeeping of the judgements sent, for the board (not reactive: the board mirrors in `$state`
 * what the screen shows). Per thing judged (see `judgementTarget`), it knows the newest request
 * sent, so an older failure or answer can be told apart from the current one, and the
 * `device_seq` shown, so answers arriving out of order cannot roll the board back.
 */
import type { RecordRequest } from "../ipc";

export class SaveLedger {
  #latest = new Map<string, RecordRequest>();
  #shown = new Map<string, number>();
  #inflight = new Set<Promise<unknown>>();

  /** Notes that `request` was sent for `key`; it is the newest for that key from now on. */
  sent(key: string, request: RecordRequest, promise: Promise<unknown>): void {
    this.#latest.set(key, request);
    this.#inflight.add(promise);
  }

  /** Notes that a request finished (either way). */
  finished(promise: Promise<unknown>): void {
    this.#inflight.delete(promise);
  }

  /** Whether `request` is still the newest sent for `key`. */
  isLatest(key: string, request: RecordRequest): boolean {
    return this.#latest.get(key) === request;
  }

  /**
   * Whether a save of `key` with `deviceSeq` is newer than what the board shows; if so, it is
   * what the board shows from now on.
   */
  accept(key: string, deviceSeq: number): boolean {
    if (deviceSeq <= (this.#shown.get(key) ?? -Infinity)) return false;
    this.#shown.set(key, deviceSeq);
    return true;
  }

  get busy(): boolean {
    return this.#inflight.size > 0;
  }

  /** Resolves once nothing is in flight (including what is sent while waiting). */
  async settled(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }
}
