/** What the loaded dataset holds (counts of titles, viewers, events), for the header and filters. */
import { IpcError, catalogInfo, type CatalogInfo } from "../ipc";

export class CatalogInfoState {
  #info = $state.raw<CatalogInfo | null>(null);
  #error = $state.raw<IpcError | null>(null);

  /** `null` until loaded (or when loading failed). */
  get info(): CatalogInfo | null {
    return this.#info;
  }
  get error(): IpcError | null {
    return this.#error;
  }

  async load(): Promise<void> {
    this.#error = null;
    try {
      this.#info = await catalogInfo();
    } catch (e) {
      this.#error = IpcError.from(e, "catalog_info");
    }
  }
}
