/**
 * Publishing sessions to the report server ("Publish to team"), and what each publish did, by
 * session. Kept by the Review tab's state, so the result outlives reopening the session (the
 * session's own record does not say yet whether it is published).
 */
import { SvelteMap } from "svelte/reactivity";

import { count } from "../format";
import { IpcError, publishSession, syncStatus, type PublishResult, type SyncStatus } from "../ipc";

/** One publish: the backend's result and how many judgements left the outbox meanwhile. */
export type Publication = {
  result: PublishResult;
  /** Judgements sent by the publish's sync; `null` when unknown (no status before). */
  sent: number | null;
};

/** What a publish did, in words: "Published 24 lists; 5 judgements sent". */
export function publishSentence(p: Publication): string {
  const { lists, status } = p.result;
  const head = `Published ${count(lists, "list")}`;
  if (status.pending > 0 && (status.state === "offline" || status.state === "error")) {
    const wait = status.pending === 1 ? "waits" : "wait";
    const why = status.state === "offline" ? "the server cannot be reached" : "the server refused";
    return `${head}; ${count(status.pending, "judgement")} ${wait} to be sent (${why})`;
  }
  if (p.sent === null) return head;
  return `${head}; ${count(p.sent, "judgement")} sent`;
}

function outbox(s: SyncStatus): number {
  return s.pending + s.local_only;
}

export class Publications {
  readonly #done = new SvelteMap<string, Publication>();
  readonly #running = new SvelteMap<string, true>();
  readonly #errors = new SvelteMap<string, IpcError>();
  #onStatus: (status: SyncStatus) => void;

  /** `onStatus` hears the sync status each publish ends with (the header shows it). */
  constructor(onStatus: (status: SyncStatus) => void = () => {}) {
    this.#onStatus = onStatus;
  }

  /** The last publish of session `id` in this run of the app, if any. */
  get(id: string): Publication | null {
    return this.#done.get(id) ?? null;
  }
  publishing(id: string): boolean {
    return this.#running.has(id);
  }
  error(id: string): IpcError | null {
    return this.#errors.get(id) ?? null;
  }

  /** Publishes session `id` (frozen) and syncs; `false` (with {@link error}) when it failed. */
  async publish(id: string): Promise<boolean> {
    if (this.#running.has(id)) return false;
    this.#running.set(id, true);
    this.#errors.delete(id);
    try {
      const before = await syncStatus().catch(() => null);
      const result = await publishSession(id);
      const after = result.status;
      const sent = before ? Math.max(0, outbox(before) - outbox(after)) : null;
      this.#done.set(id, { result, sent });
      this.#onStatus(after);
      return true;
    } catch (e) {
      this.#errors.set(id, IpcError.from(e, "publish_session"));
      return false;
    } finally {
      this.#running.delete(id);
    }
  }
}
