/**
 * The Settings sheet's report-server form: the address and this user's token. Saving checks
 * both with the server before keeping them; an empty token keeps the saved one (the token never
 * comes back from the backend, only whether one is saved).
 */
import { IpcError, configureSync, syncSettings, type SyncStatus, type TokenPlace } from "../ipc";
import type { LoadStatus } from "../status";

export class SyncSettingsForm {
  url = $state("");
  token = $state("");

  #hasToken = $state(false);
  #tokenPlace = $state<TokenPlace | null>(null);
  #savedUrl = $state<string | null>(null);
  #status = $state<LoadStatus>("idle");
  #loadError = $state.raw<IpcError | null>(null);
  #saving = $state(false);
  #error = $state.raw<IpcError | null>(null);
  #result = $state.raw<SyncStatus | null>(null);
  #onSaved: (status: SyncStatus) => void;

  /** `onSaved` hears the status the server check gave (the header shows it at once). */
  constructor(onSaved: (status: SyncStatus) => void = () => {}) {
    this.#onSaved = onSaved;
  }

  /** A token is saved on this device. */
  get hasToken(): boolean {
    return this.#hasToken;
  }
  /** Where the saved token is kept: the OS keychain, or a file only this user reads. */
  get tokenPlace(): TokenPlace | null {
    return this.#tokenPlace;
  }
  /** The address saved, if any. */
  get savedUrl(): string | null {
    return this.#savedUrl;
  }
  get status(): LoadStatus {
    return this.#status;
  }
  get loadError(): IpcError | null {
    return this.#loadError;
  }
  get saving(): boolean {
    return this.#saving;
  }
  /** Why the last save failed (a refused token, an unreachable server…). */
  get error(): IpcError | null {
    return this.#error;
  }
  /** The status after the last successful save. */
  get result(): SyncStatus | null {
    return this.#result;
  }
  /** An address, and a token typed or saved. */
  get ready(): boolean {
    return this.url.trim() !== "" && (this.token.trim() !== "" || this.#hasToken) && !this.#saving;
  }

  /** Loads what is saved; the address field takes it (the token field stays empty). */
  async load(): Promise<void> {
    this.#status = "loading";
    this.#loadError = null;
    try {
      const s = await syncSettings();
      this.#savedUrl = s.server_url;
      this.#hasToken = s.has_token;
      this.#tokenPlace = s.token_place;
      this.url = s.server_url ?? "";
      this.token = "";
      this.#status = "ready";
    } catch (e) {
      this.#loadError = IpcError.from(e, "sync_settings");
      this.#status = "error";
    }
  }

  /** Checks and saves the address and token; `false` (with {@link error}) when refused. */
  async save(): Promise<boolean> {
    if (this.#saving) return false;
    this.#saving = true;
    this.#error = null;
    this.#result = null;
    try {
      const status = await configureSync({ server_url: this.url.trim(), token: this.token.trim() });
      this.#result = status;
      this.#hasToken = true;
      this.#savedUrl = status.server_url ?? this.url.trim();
      if (status.server_url) this.url = status.server_url;
      this.token = "";
      this.#onSaved(status);
      // Where it went (keychain or file) is the settings' to say; the save stands either way.
      this.#tokenPlace = await syncSettings().then(
        (s) => s.token_place,
        () => null,
      );
      return true;
    } catch (e) {
      this.#error = IpcError.from(e, "configure_sync");
      return false;
    } finally {
      this.#saving = false;
    }
  }
}
