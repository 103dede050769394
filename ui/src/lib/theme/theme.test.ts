import { describe, expect, it } from "vitest";

import { ThemeState, type ThemeEnvironment } from "./theme.svelte";

function environment(systemDark: boolean, stored: string | null = null) {
  const saved = new Map<string, string>();
  if (stored !== null) saved.set("screening-room.theme", stored);
  const listeners = new Set<(e: { matches: boolean }) => void>();
  const media = {
    matches: systemDark,
    addEventListener: (_: string, l: (e: { matches: boolean }) => void) => listeners.add(l),
    removeEventListener: (_: string, l: (e: { matches: boolean }) => void) => listeners.delete(l),
  };
  const root = document.createElement("html");
  const env = {
    storage: { getItem: (k: string) => saved.get(k) ?? null, setItem: saved.set.bind(saved) },
    media,
    root,
  } as unknown as ThemeEnvironment;
  const systemChanges = (dark: boolean) => listeners.forEach((l) => l({ matches: dark }));
  return { env, root, saved, systemChanges, listeners };
}

describe("ThemeState", () => {
  it("follows the system by default", () => {
    const { env, root } = environment(true);
    const theme = new ThemeState(env);
    expect(theme.theme).toBe("dark");
    expect(theme.chosen).toBe(false);
    expect(root.dataset.theme).toBe("dark");
  });

  it("keeps following the system until the user toggles", () => {
    const { env, root, systemChanges } = environment(false);
    const theme = new ThemeState(env);
    expect(root.dataset.theme).toBe("light");
    systemChanges(true);
    expect(theme.theme).toBe("dark");
    expect(root.dataset.theme).toBe("dark");
  });

  it("toggling applies and remembers the choice, which then wins over the system", () => {
    const { env, root, saved, systemChanges } = environment(false);
    const theme = new ThemeState(env);
    theme.toggle();
    expect(theme.theme).toBe("dark");
    expect(root.dataset.theme).toBe("dark");
    expect(saved.get("screening-room.theme")).toBe("dark");
    systemChanges(false);
    expect(theme.theme).toBe("dark");
  });

  it("starts from a remembered choice and ignores junk", () => {
    expect(new ThemeState(environment(true, "light").env).theme).toBe("light");
    expect(new ThemeState(environment(true, "purple").env).theme).toBe("dark");
  });

  it("works without storage or media queries", () => {
    const theme = new ThemeState({ storage: null, media: null, root: null });
    expect(theme.theme).toBe("light");
    theme.toggle();
    expect(theme.theme).toBe("dark");
  });

  it("dispose stops listening to the system", () => {
    const { env, listeners } = environment(false);
    new ThemeState(env).dispose();
    expect(listeners.size).toBe(0);
  });
});
