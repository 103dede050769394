/**
 * The catalog browser: search text, content-type filter, and the pages of results loaded so far.
 *
 * Typing is debounced (one search per pause, not per key); changing the filter searches at once.
 * Each new search supersedes the ones before it: a late answer for old text is dropped, so the
 * results always match what the inputs show.
 */
import { IpcError, searchCatalog, type ContentType, type Item } from "../ipc";

export type SearchStatus = "idle" | "loading" | "loading-more" | "ready" | "error";

export type CatalogOptions = {
  /** Items per page (the backend accepts 1..=200). */
  pageSize?: number;
  /** How long typing must pause before a search runs, in milliseconds. */
  debounceMs?: number;
};

export class CatalogState {
  readonly pageSize: number;
  readonly debounceMs: number;

  #text = $state("");
  #contentType = $state<ContentType | null>(null);
  #items = $state.raw<Item[]>([]);
  #total = $state(0);
  #status = $state<SearchStatus>("idle");
  #error = $state.raw<IpcError | null>(null);
  /** Increases with each new search; answers for older ones are dropped. */
  #search = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  #hasMore = $derived(this.#items.length < this.#total);

  constructor({ pageSize = 48, debounceMs = 250 }: CatalogOptions = {}) {
    this.pageSize = pageSize;
    this.debounceMs = debounceMs;
  }

  get text(): string {
    return this.#text;
  }
  get contentType(): ContentType | null {
    return this.#contentType;
  }
  /** The results loaded so far, in the backend's order. */
  get items(): readonly Item[] {
    return this.#items;
  }
  /** How many items match the current search in the whole catalog. */
  get total(): number {
    return this.#total;
  }
  get status(): SearchStatus {
    return this.#status;
  }
  get error(): IpcError | null {
    return this.#error;
  }
  /** Whether more matches exist than are loaded. */
  get hasMore(): boolean {
    return this.#hasMore;
  }

  /** Sets the search text; the search runs once typing pauses for `debounceMs`. */
  setText(text: string): void {
    this.#text = text;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.search(), this.debounceMs);
  }

  /** Sets the content-type filter (`null` for all) and searches at once. */
  setContentType(contentType: ContentType | null): Promise<void> {
    this.#contentType = contentType;
    return this.search();
  }

  /** Runs the search for the current text and filter from the first page. */
  async search(): Promise<void> {
    clearTimeout(this.#timer);
    const search = ++this.#search;
    this.#status = "loading";
    this.#error = null;
    try {
      const page = await searchCatalog(this.#query(0));
      if (search !== this.#search) return;
      this.#items = page.items;
      this.#total = page.total;
      this.#status = "ready";
    } catch (e) {
      if (search !== this.#search) return;
      // Results of an older search would not match the inputs any more.
      this.#items = [];
      this.#total = 0;
      this.#fail(e);
    }
  }

  /** Clears the text and filter and searches everything (e.g. for another dataset). */
  reset(): Promise<void> {
    this.#text = "";
    this.#contentType = null;
    return this.search();
  }

  /** Appends the next page. Does nothing while a search runs or when everything is loaded. */
  async loadMore(): Promise<void> {
    if (this.#status !== "ready" || !this.#hasMore) return;
    const search = this.#search;
    this.#status = "loading-more";
    this.#error = null;
    try {
      const page = await searchCatalog(this.#query(this.#items.length));
      if (search !== this.#search) return;
      this.#items = [...this.#items, ...page.items];
      this.#total = page.total;
      this.#status = "ready";
    } catch (e) {
      if (search !== this.#search) return;
      this.#fail(e);
    }
  }

  /** Stops a pending debounced search (e.g. when the view goes away). */
  dispose(): void {
    clearTimeout(this.#timer);
    this.#search++;
  }

  #query(offset: number) {
    return {
      text: this.#text.trim(),
      content_type: this.#contentType,
      offset,
      limit: this.pageSize,
    };
  }

  #fail(e: unknown): void {
    this.#error = IpcError.from(e, "search_catalog");
    this.#status = "error";
  }
}
