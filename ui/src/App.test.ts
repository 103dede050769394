import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";

import App from "./App.svelte";
import { clearBackend } from "./lib/ipc/mock";
import { all } from "./lib/testing/dom";
import { ITEMS, T0, detailOf, fixtureBackend } from "./lib/testing/fixtures";

afterEach(clearBackend);

describe("App", () => {
  it("shows the dataset counts, the personas and the catalog", async () => {
    fixtureBackend();
    render(App);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Screening Room");

    const list = await screen.findByTestId("persona-list");
    await within(list).findByText("Reality TV fan");
    expect(all("persona-item").map((b) => b.textContent)).toEqual([
      expect.stringContaining("Reality TV fan"),
      expect.stringContaining("New viewer"),
    ]);
    expect(all("persona-item")[0]?.textContent).toContain("2 plays");

    expect((await screen.findByTestId("catalog-count")).textContent).toBe("5 titles");
    expect(all("catalog-item")).toHaveLength(5);
    expect(screen.getByAltText("Deep Blue Planet").getAttribute("src")).toMatch(/^data:image\/svg/);
    expect((await screen.findByTestId("dataset-summary")).textContent?.trim()).toBe(
      "1,512 titles · 10,000 viewers · 230,412 events",
    );
    expect(screen.queryByTestId("app-error")).toBeNull();
  });

  it("clicking a persona shows its history, newest first", async () => {
    const calls = fixtureBackend();
    render(App);
    await fireEvent.click(await screen.findByRole("button", { name: /Reality TV fan/ }));

    const detail = await screen.findByTestId("persona-detail");
    expect(within(detail).getByTestId("persona-name").textContent).toBe("Reality TV fan");
    await waitFor(() => expect(all("history-item")).toHaveLength(2));
    const [newest, oldest] = all("history-item");
    expect(newest?.textContent).toContain("The Long Night");
    expect(newest?.textContent).toContain("4 Mar 2024");
    expect(oldest?.textContent).toContain("Island of Love");
    expect(screen.getByTestId("history-count").textContent).toContain("2 plays of 2 titles");
    expect(all("history-plays")).toHaveLength(0);
    expect(calls).toContainEqual({ command: "get_persona", args: { id: "reality-fan" } });
    expect(
      screen.getByRole("button", { name: /Reality TV fan/ }).getAttribute("aria-pressed"),
    ).toBe("true");
  });

  it("a binge of the same show is one row with its episode count and days", async () => {
    const DAY = 86400;
    const [show, film] = [ITEMS[0]!, ITEMS[2]!];
    // Newest first: the film, then three episodes of the show over three days, then the film.
    const plays: [typeof show, number][] = [
      [film, T0 + 4 * DAY],
      [show, T0 + 3 * DAY],
      [show, T0 + 2 * DAY],
      [show, T0 + DAY],
      [film, T0],
    ];
    fixtureBackend({
      get_persona: ({ id }) => ({
        ...detailOf(id as string)!,
        history: plays.map(([item, timestamp]) => ({ item, timestamp, event_type: "watch" })),
      }),
    });
    render(App);
    await fireEvent.click(await screen.findByRole("button", { name: /Reality TV fan/ }));

    await waitFor(() => expect(all("history-item")).toHaveLength(3));
    const [latest, binge, earliest] = all("history-item");
    expect(latest?.textContent).toContain("The Long Night");
    expect(binge?.textContent).toContain("Island of Love");
    expect(binge?.textContent).toContain("3 episodes");
    expect(binge?.querySelector("time")?.textContent?.trim()).toBe("4\u2009\u2013\u20096 Mar 2024");
    expect(earliest?.textContent).toContain("The Long Night");
    expect(all("history-plays").map((p) => p.textContent)).toEqual(["· 3 episodes"]);
    expect(screen.getByTestId("history-count").textContent).toContain("5 plays of 2 titles");
  });

  it("the new viewer shows the empty-history message", async () => {
    fixtureBackend();
    render(App);
    await fireEvent.click(await screen.findByRole("button", { name: /New viewer/ }));
    const empty = await screen.findByTestId("history-empty");
    expect(empty.textContent).toContain("No watch history yet");
    expect(all("history-item")).toHaveLength(0);
  });

  it("filtering by content type narrows the grid", async () => {
    const calls = fixtureBackend();
    render(App);
    await screen.findByText("5 titles");
    await fireEvent.click(screen.getByRole("button", { name: /^Documentary/ }));
    await waitFor(() => expect(screen.getByTestId("catalog-count").textContent).toBe("1 title"));
    expect(all("catalog-item").map((c) => c.querySelector("h3")?.textContent)).toEqual([
      "Deep Blue Planet",
    ]);
    expect(calls.at(-1)?.args).toEqual({
      query: { text: "", content_type: "documentary", offset: 0, limit: 48 },
    });
  });

  it("typing searches the catalog", async () => {
    const calls = fixtureBackend();
    render(App);
    await screen.findByText("5 titles");
    await fireEvent.input(screen.getByTestId("catalog-search"), { target: { value: "planet" } });
    await waitFor(() => expect(screen.getByTestId("catalog-count").textContent).toBe("1 title"));
    expect(screen.getByAltText("Deep Blue Planet")).toBeTruthy();
    const searches = calls.filter((c) => c.command === "search_catalog");
    expect(searches.at(-1)?.args).toMatchObject({ query: { text: "planet", offset: 0 } });
  });

  it("shows an error banner with the code when a command fails", async () => {
    fixtureBackend({
      list_personas: () => {
        throw { code: "internal", message: "database is locked" };
      },
    });
    render(App);
    const banner = await screen.findByTestId("app-error");
    expect(banner.textContent).toContain("database is locked");
    expect(banner.textContent).toContain("internal");
  });
});
