/**
 * Publishing sessions to the report server ("Publish to team"), and what each publish did, by
 * session. Whether a session is published comes from its summary (`published_at`); this keeps
 * what the publish said (lists, judgements sent) for the run of the app, so the session's page
 * can say it again after reopening.
 */
import { SvelteMap } from "svelte/reactivity";

import { count } from "../format";
import { IpcError, publishSession, type PublishResult, type SyncStatus } from "../ipc";

/** What a publish did, in words: "Published 24 lists; 5 judgements sent". */
export function publishSentence(result: PublishResult): string {
  const { lists, sent, status } = result;
  const head = `Published ${count(lists, "list")}`;
  if (status.pending > 0 && (status.state === "offline" || status.state === "error")) {
    const wait = status.pending === 1 ? "waits" : "wait";
    const why = status.state === "offline" ? "the server cannot be reached" : "the server refused";
    return `${head}; ${count(status.pending, "judgement")} ${wait} to be sent (${why})`;
  }
  return `${head}; ${count(sent, "judgement")} sent`;
}

export class Publications {
  readonly #done = new SvelteMap<string, PublishResult>();
  readonly #running = new SvelteMap<string, true>();
  readonly #errors = new SvelteMap<string, IpcError>();
  #onStatus: (status: SyncStatus) => void;

  /** `onStatus` hears the sync status each publish ends with (the header shows it). */
  constructor(onStatus: (status: SyncStatus) => void = () => {}) {
    this.#onStatus = onStatus;
  }

  /** The last publish of session `id` in this run of the app, if any. */
  get(id: string): PublishResult | null {
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
      const result = await publishSession(id);
      this.#done.set(id, result);
      this.#onStatus(result.status);
      return true;
    } catch (e) {
      this.#errors.set(id, IpcError.from(e, "publish_session"));
      return false;
    } finally {
      this.#running.delete(id);
    }
  }
}
