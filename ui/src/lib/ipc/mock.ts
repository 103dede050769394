/**
 * A stand-in backend for tests (and only tests): routes `invoke` calls to plain functions.
 *
 * Lives in `lib/ipc` so that this folder stays the only importer of `@tauri-apps/api`.
 */
import { Channel } from "@tauri-apps/api/core";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

/** Handles one command; return a value to resolve, throw (e.g. an `AppError`) to reject. */
export type CommandHandler = (args: Record<string, unknown>) => unknown;

/** One recorded call: the command name and the arguments it was invoked with. */
export type RecordedCall = { command: string; args: Record<string, unknown> };

/**
 * Installs `handlers` as the backend and returns the list of calls, filled as they happen.
 * A command without a handler rejects like Tauri does for an unknown command (with a string).
 */
export function mockBackend(handlers: Record<string, CommandHandler>): RecordedCall[] {
  const calls: RecordedCall[] = [];
  mockIPC((command, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ command, args });
    const handler = handlers[command];
    if (!handler) throw `command ${command} not found`;
    return handler(args);
  });
  return calls;
}

/** Removes the mock backend; call it after each test. */
export function clearBackend(): void {
  clearMocks();
}

/**
 * Sends `message` on a channel a command received as an argument (e.g. `onProgress` of
 * `import_dataset`), as the Rust side does while the command runs.
 */
export function sendOnChannel<T>(channel: unknown, message: T): void {
  if (!(channel instanceof Channel)) throw new Error(`not a channel: ${String(channel)}`);
  (channel as Channel<T>).onmessage(message);
}
