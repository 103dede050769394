/**
 * Light or dark. Follows the system's `prefers-color-scheme` until the user toggles; the choice is
 * then remembered (localStorage) and wins over the system from then on. The theme is applied as
 * `data-theme` on the document element, which `app.css` keys its custom properties on.
 */
export type Theme = "light" | "dark";

const KEY = "screening-room.theme";

/** What the state needs from the browser, so tests can hand in their own. */
export type ThemeEnvironment = {
  storage: Pick<Storage, "getItem" | "setItem"> | null;
  /** `matchMedia("(prefers-color-scheme: dark)")`, when the browser has it. */
  media: Pick<MediaQueryList, "matches" | "addEventListener" | "removeEventListener"> | null;
  root: HTMLElement | null;
};

function browserEnvironment(): ThemeEnvironment {
  let storage: Storage | null = null;
  try {
    storage = window.localStorage;
  } catch {
    // Storage can be disabled; the theme then lasts for this window only.
  }
  const media =
    typeof window.matchMedia === "function"
      ? window.matchMedia("(prefers-color-scheme: dark)")
      : null;
  return { storage, media, root: document.documentElement };
}

function readStored(storage: ThemeEnvironment["storage"]): string | null {
  try {
    return storage?.getItem(KEY) ?? null;
  } catch {
    return null;
  }
}

function isTheme(value: unknown): value is Theme {
  return value === "light" || value === "dark";
}

export class ThemeState {
  #env: ThemeEnvironment;
  #chosen = $state<Theme | null>(null);
  #system = $state<Theme>("light");
  #theme = $derived<Theme>(this.#chosen ?? this.#system);

  #onSystemChange = (e: { matches: boolean }) => {
    this.#system = e.matches ? "dark" : "light";
    this.#apply();
  };

  constructor(env: ThemeEnvironment = browserEnvironment()) {
    this.#env = env;
    this.#system = env.media?.matches ? "dark" : "light";
    const stored = readStored(env.storage);
    this.#chosen = isTheme(stored) ? stored : null;
    env.media?.addEventListener("change", this.#onSystemChange);
    this.#apply();
  }

  /** The theme in effect. */
  get theme(): Theme {
    return this.#theme;
  }
  /** Whether the user picked the theme (otherwise it follows the system). */
  get chosen(): boolean {
    return this.#chosen !== null;
  }

  /** Switches to the other theme and remembers the choice. */
  toggle(): void {
    this.set(this.#theme === "dark" ? "light" : "dark");
  }

  set(theme: Theme): void {
    this.#chosen = theme;
    try {
      this.#env.storage?.setItem(KEY, theme);
    } catch {
      // Not remembered; still applied.
    }
    this.#apply();
  }

  /** Stops following the system (when the app shell goes away). */
  dispose(): void {
    this.#env.media?.removeEventListener("change", this.#onSystemChange);
  }

  #apply(): void {
    if (this.#env.root) this.#env.root.dataset.theme = this.#chosen ?? this.#system;
  }
}
