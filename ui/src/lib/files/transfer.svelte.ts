/**
 * Files in and out: an export form (writes a file, says how many things it wrote) and an import
 * form (reads one, all or nothing, and keeps the backend's report). Each keeps its path as
 * typed, so a path can be pasted as well as picked with the system's dialog. A feature gives
 * the IPC call and its command name (for errors); `FileTransferForm.svelte` shows either.
 */
import { count } from "../format";
import { IpcError } from "../ipc";

/** What an export wrote. */
export type Written = { count: number; path: string };

/** What an import did, by name: the shape of the candidates' and personas' import reports. */
export type ImportOutcome = { added: string[]; updated: string[]; unchanged: string[] };

/**
 * One transfer at a time with the typed path: `running` while it runs, then its outcome or
 * the backend's refusal (`error`). `A` is what a run takes besides the path.
 */
class FileTransfer<A extends unknown[], T> {
  path = $state("");

  #running = $state(false);
  #outcome = $state.raw<T | null>(null);
  #error = $state.raw<IpcError | null>(null);
  readonly #command: string;
  readonly #transfer: (path: string, ...args: A) => Promise<T>;

  constructor(command: string, transfer: (path: string, ...args: A) => Promise<T>) {
    this.#command = command;
    this.#transfer = transfer;
  }

  get running(): boolean {
    return this.#running;
  }
  /** Why the last run failed, in the backend's words. */
  get error(): IpcError | null {
    return this.#error;
  }

  /** What the last run gave; `null` before one succeeds. */
  protected get outcome(): T | null {
    return this.#outcome;
  }

  /** Runs with the trimmed path; `null` (and `error`) when it failed, or did not start. */
  protected async start(...args: A): Promise<T | null> {
    const path = this.path.trim();
    if (this.#running || path === "") return null;
    this.#running = true;
    this.#outcome = null;
    this.#error = null;
    try {
      this.#outcome = await this.#transfer(path, ...args);
      return this.#outcome;
    } catch (e) {
      this.#error = IpcError.from(e, this.#command);
      return null;
    } finally {
      this.#running = false;
    }
  }
}

/** Writing a file: `write(path, ...args)` resolves to how many things it wrote. */
export class FileExport<A extends unknown[] = []> extends FileTransfer<A, Written> {
  constructor(command: string, write: (path: string, ...args: A) => Promise<number>) {
    super(command, async (path, ...args) => ({ count: await write(path, ...args), path }));
  }

  /** What the last export wrote. */
  get written(): Written | null {
    return this.outcome;
  }

  /** Writes the file; `false` (and `error`) when it failed. */
  async run(...args: A): Promise<boolean> {
    return (await this.start(...args)) !== null;
  }
}

/** Reading a file, all or nothing: `read(path)` resolves to the backend's report `R`. */
export class FileImport<R> extends FileTransfer<[], R> {
  constructor(command: string, read: (path: string) => Promise<R>) {
    super(command, read);
  }

  get report(): R | null {
    return this.outcome;
  }

  /** Imports the file; resolves to what it did, or `null` (and `error`). */
  run(): Promise<R | null> {
    return this.start();
  }
}

/** "Exported 3 personas to /tmp/p.json" — what an export wrote, `noun` being what it counts. */
export function describeExport(written: Written, noun: string): string {
  return `Exported ${count(written.count, noun)} to ${written.path}`;
}

/** "Added 2 (A, B) · updated 1 (C) · unchanged 0" — what an import did, in one line. */
export function describeImport(report: ImportOutcome): string {
  const part = (verb: string, names: string[]) =>
    `${verb} ${names.length}${names.length > 0 ? ` (${names.join(", ")})` : ""}`;
  return [
    part("Added", report.added),
    part("updated", report.updated),
    part("unchanged", report.unchanged),
  ].join(" · ");
}
