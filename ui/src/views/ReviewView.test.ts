import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import App from "../App.svelte";
import { formatDateTime } from "../lib/format";
import type { FreezeReport } from "../lib/ipc";
import { clearBackend } from "../lib/ipc/mock";
import { all } from "../lib/testing/dom";
import { deferred } from "../lib/testing/async";
import { CANDIDATES, SESSION, TEAM_SESSION } from "../lib/testing/fixtures";
import { reviewBackend } from "../lib/testing/reviewBackend";
import type { FakeSync } from "../lib/testing/syncFake";

afterEach(clearBackend);
beforeEach(() => localStorage.clear());

function check(testid: string, value: string) {
  const box = document.querySelector<HTMLInputElement>(
    `[data-testid="${testid}"][value="${value}"]`,
  );
  if (!box) throw new Error(`no ${testid} ${value}`);
  return fireEvent.click(box);
}

async function openReview() {
  render(App);
  await screen.findAllByTestId("persona-item");
  await fireEvent.click(screen.getByTestId("nav-review"));
  await screen.findAllByTestId("session-item");
}

describe("Review tab", () => {
  it("the tabs switch views and the theme toggles", async () => {
    reviewBackend();
    render(App);
    expect(screen.getByTestId("nav-library").getAttribute("aria-current")).toBe("page");
    expect(await screen.findByTestId("persona-list")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("nav-review"));
    expect(screen.getByTestId("nav-review").getAttribute("aria-current")).toBe("page");
    expect(await screen.findByTestId("session-list")).toBeTruthy();
    expect(screen.queryByTestId("persona-list")).toBeNull();

    const before = document.documentElement.dataset.theme;
    expect(before === "light" || before === "dark").toBe(true);
    await fireEvent.click(screen.getByTestId("theme-toggle"));
    expect(document.documentElement.dataset.theme).toBe(before === "light" ? "dark" : "light");
  });

  it("lists sessions with their state and progress", async () => {
    reviewBackend();
    await openReview();
    const [row] = all("session-item");
    expect(row?.textContent).toContain("Release v3 vs v2");
    expect(row?.textContent).toContain("Blind");
    expect(row?.textContent).toContain("top 10");
    expect(row?.textContent).toContain("Frozen");
    expect(within(row!).getByTestId("session-done").textContent).toBe("0/2");
    expect(within(row!).getByTestId("session-item-dataset").textContent).toBe("on Demo catalog");
    await fireEvent.click(row!);
    const panel = await screen.findByTestId("session-detail");
    expect(within(panel).getByTestId("session-panel-dataset").textContent).toBe("on Demo catalog");
    expect(panel.textContent).toContain("Reality TV fan");
    expect(panel.textContent).toContain("New viewer");
  });

  it("the new-session form names the active dataset it will use", async () => {
    reviewBackend();
    await openReview();
    await fireEvent.click(screen.getByTestId("session-new"));
    await waitFor(() =>
      expect(screen.getByTestId("new-session-dataset").textContent).toBe("on Demo catalog"),
    );
  });

  it("the form says what is wrong before creating anything", async () => {
    const { calls } = reviewBackend();
    await openReview();
    await fireEvent.click(screen.getByTestId("session-new"));
    const form = await screen.findByTestId("new-session");
    // Defaults: every persona ticked, k 10, blind, the five criteria.
    await waitFor(() =>
      expect(all("session-persona").map((b) => (b as HTMLInputElement).checked)).toEqual([
        true,
        true,
      ]),
    );
    expect((screen.getByTestId("session-k") as HTMLInputElement).value).toBe("10");
    expect((screen.getByTestId("session-blind") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId("session-criteria") as HTMLInputElement).value).toBe(
      "relevance, diversity, freshness, editorial quality, overall",
    );
    await check("session-candidate", "ease");
    await fireEvent.click(within(form).getByTestId("session-create"));
    const problems = screen.getByTestId("session-form-error");
    expect(problems.textContent).toContain("Give the session a name.");
    expect(problems.textContent).toContain("Pick 2 to 4 candidates to compare (1 picked).");
    expect(calls.map((c) => c.command)).not.toContain("create_session");
  });

  it("the challenger is picked among the candidates other than the incumbent", async () => {
    const { calls } = reviewBackend();
    await openReview();
    await fireEvent.click(screen.getByTestId("session-new"));
    await screen.findByTestId("new-session");
    await fireEvent.input(screen.getByTestId("session-name"), { target: { value: "Duel" } });
    await check("session-candidate", "ease");
    await check("session-candidate", "popularity");
    const options = () =>
      Array.from(
        (screen.getByTestId("session-challenger") as HTMLSelectElement).options,
        (o) => o.textContent,
      );
    expect(options()).toEqual(["None", "EASE (λ 250)", "Popularity"]);
    await fireEvent.change(screen.getByTestId("session-incumbent"), {
      target: { value: "popularity" },
    });
    // Two candidates and an incumbent: the backend takes the other one when none is chosen.
    expect(options()).toEqual(["Auto: EASE (λ 250)", "EASE (λ 250)"]);
    await check("session-candidate", "random");
    expect(options()).toEqual(["None", "EASE (λ 250)", "Random (control)"]);
    await fireEvent.change(screen.getByTestId("session-challenger"), {
      target: { value: "random" },
    });
    await fireEvent.click(screen.getByTestId("session-create"));
    const detail = await screen.findByTestId("session-detail");
    expect(calls.find((c) => c.command === "create_session")?.args).toMatchObject({
      request: { incumbent_candidate_id: "popularity", challenger_candidate_id: "random" },
    });
    expect(detail.textContent).toMatch(/Random \(control\)\s*challenger/);
    expect(detail.textContent).toMatch(/Popularity\s*incumbent/);
  });

  it("create, freeze, judge, and the summary counts what was revealed", async () => {
    const release = { freeze: () => {} };
    const { calls, fake } = reviewBackend({
      freeze_session: (args) =>
        new Promise<FreezeReport>((resolve) => {
          release.freeze = () => resolve(fake.handlers().freeze_session!(args) as FreezeReport);
        }),
    });
    await openReview();
    await fireEvent.click(screen.getByTestId("session-new"));
    await screen.findByTestId("new-session");
    await fireEvent.input(screen.getByTestId("session-name"), {
      target: { value: "Autumn release" },
    });
    await check("session-candidate", "ease");
    await check("session-candidate", "popularity");
    await fireEvent.change(screen.getByTestId("session-incumbent"), {
      target: { value: "popularity" },
    });
    await fireEvent.input(screen.getByTestId("session-criteria"), {
      target: { value: "relevance, overall" },
    });
    await check("session-persona", "new-viewer"); // untick: only the reality fan
    await fireEvent.click(screen.getByTestId("session-create"));

    const detail = await screen.findByTestId("session-detail");
    expect(within(detail).getByTestId("session-title").textContent).toBe("Autumn release");
    expect(calls.find((c) => c.command === "create_session")?.args).toEqual({
      request: {
        name: "Autumn release",
        persona_ids: ["reality-fan"],
        candidate_ids: ["ease", "popularity"],
        k: 10,
        blind: true,
        criteria: ["relevance", "overall"],
        incumbent_candidate_id: "popularity",
        challenger_candidate_id: null,
      },
    });
    expect(screen.queryByTestId("session-start")).toBeNull();

    const freeze = screen.getByTestId("session-freeze");
    await fireEvent.click(freeze);
    expect(freeze.hasAttribute("disabled")).toBe(true);
    expect(freeze.textContent).toContain("Freezing");
    release.freeze();
    const start = await screen.findByTestId("session-start");
    expect(screen.getByTestId("freeze-report").textContent).toContain("2 lists");
    expect(screen.getByTestId("summary-empty")).toBeTruthy();

    await fireEvent.click(start);
    await screen.findAllByTestId("board-column");
    expect(all("board-column").map((c) => c.dataset.label)).toEqual(["A", "B"]);
    await fireEvent.click(all("rating-button").find((b) => b.dataset.score === "5")!);
    await fireEvent.keyDown(document.body, { key: "a" });
    await waitFor(() => expect(screen.getByTestId("reveal").hasAttribute("disabled")).toBe(false));
    await fireEvent.keyDown(document.body, { key: "Enter" });
    await waitFor(() => expect(all("column-candidate")).toHaveLength(2));
    expect(fake.recorded.map((r) => r.judgement.kind)).toEqual(["rating", "preference"]);

    await fireEvent.click(screen.getByTestId("board-close"));
    const rows = await screen.findAllByTestId("summary-row");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.textContent).toContain("EASE (λ 250)");
    expect(rows[0]?.textContent).toContain("relevance");
    expect(rows[0]?.textContent).toContain("5.00");
    await waitFor(() =>
      expect(
        all("session-item")
          .find((r) => r.textContent?.includes("Autumn release"))
          ?.querySelector('[data-testid="session-done"]')?.textContent,
      ).toBe("1/1"),
    );
  });

  it("freezing shows a progress bar with lists done and the last candidate, then the report", async () => {
    const gate = deferred<void>();
    const unfrozen = {
      ...SESSION,
      candidates: [CANDIDATES[0]!, CANDIDATES[4]!, CANDIDATES[2]!], // the second one fails
      summary: { ...SESSION.summary, frozen_at: null },
    };
    const { fake } = reviewBackend({}, [unfrozen]);
    fake.freezeGate = gate.promise;
    await openReview();
    await fireEvent.click(all("session-item")[0]!);
    await fireEvent.click(await screen.findByTestId("session-freeze"));

    const text = await screen.findByTestId("freeze-progress-text");
    await waitFor(() => expect(text.textContent?.trim()).toBe("1 / 6 lists — last: EASE (λ 250)"));
    const bar = screen.getByTestId("freeze-progress-bar");
    expect(bar.getAttribute("aria-valuenow")).toBe("1");
    expect(bar.getAttribute("aria-valuemax")).toBe("6");
    expect(screen.getByTestId("session-freeze").textContent).toContain("Freezing…");

    gate.resolve();
    await screen.findByTestId("session-start");
    expect(screen.queryByTestId("freeze-progress")).toBeNull();
    expect(screen.getByTestId("freeze-report").textContent?.replace(/\s+/g, " ").trim()).toBe(
      "6 lists in 0.4 s · 2 failed (shown in their columns)",
    );
    expect(fake.freezeProgress.at(-1)).toEqual({
      done: 6,
      total: 6,
      candidate: "Random (control)",
    });
  });

  it("shows a backend error in the banner style", async () => {
    reviewBackend({
      list_sessions: () => {
        throw { code: "unavailable", message: "the data folder is open in another window" };
      },
    });
    render(App);
    await fireEvent.click(screen.getByTestId("nav-review"));
    const banner = await screen.findByTestId("app-error");
    expect(banner.textContent).toContain("open in another window");
    expect(banner.textContent).toContain("unavailable");
  });
});

describe("Publish to team", () => {
  it("publishes a frozen session: says what it did, marks it Published, and the header follows", async () => {
    const { calls, sync } = reviewBackend();
    sync.configure();
    // Three judgements made before publishing stay on this device until then.
    sync.recorded("s1");
    sync.recorded("s1");
    sync.recorded("s1");
    await openReview();
    await waitFor(() =>
      expect(screen.getByTestId("sync-status").textContent?.trim()).toBe("Synced"),
    );
    await fireEvent.click(all("session-item")[0]!);
    const button = await screen.findByTestId("publish-session");
    expect(button.textContent?.trim()).toBe("Publish to team");
    expect(screen.queryByTestId("session-published")).toBeNull();

    await fireEvent.click(button);
    const result = await screen.findByTestId("publish-result");
    expect(result.textContent).toBe("Published 6 lists; 3 judgements sent");
    // The session and the list say so, from the session's record.
    expect((await screen.findByTestId("session-published")).textContent?.trim()).toBe("Published");
    await waitFor(() =>
      expect(screen.getByTestId("session-item-published").textContent?.trim()).toBe("Published"),
    );
    expect(screen.queryByTestId("publish-session")).toBeNull();
    expect(calls).toContainEqual({ command: "publish_session", args: { sessionId: "s1" } });
    expect(sync.sent.get("s1")).toBe(3);
    expect(screen.getByTestId("sync-status").textContent?.trim()).toBe("Synced");

    // Reopening the session (after the Library and back) still says so.
    await fireEvent.click(screen.getByTestId("nav-library"));
    await fireEvent.click(screen.getByTestId("nav-review"));
    await fireEvent.click((await screen.findAllByTestId("session-item"))[0]!);
    expect((await screen.findByTestId("publish-result")).textContent).toBe(
      "Published 6 lists; 3 judgements sent",
    );
  });

  it("a session published before (in another run) says so, and is not offered again", async () => {
    const publishedAt = Date.UTC(2026, 10, 28, 10, 15);
    reviewBackend({}, [{ ...SESSION, summary: { ...SESSION.summary, published_at: publishedAt } }]);
    await openReview();
    expect(screen.getByTestId("session-item-published").textContent?.trim()).toBe("Published");
    await fireEvent.click(all("session-item")[0]!);
    expect((await screen.findByTestId("session-published")).textContent?.trim()).toBe("Published");
    expect(screen.getByTestId("publish-result").textContent?.trim()).toBe(
      `Published ${formatDateTime(publishedAt)}; your judgements go to the team's report.`,
    );
    expect(screen.queryByTestId("publish-session")).toBeNull();
    expect(screen.queryByTestId("session-team")).toBeNull();
  });

  it("a session joined from the team is marked Team · by its owner, and cannot be published", async () => {
    reviewBackend({}, [
      {
        ...TEAM_SESSION,
        summary: { ...TEAM_SESSION.summary, published_at: Date.now(), published_by: "maria" },
      },
    ]);
    await openReview();
    const [row] = all("session-item");
    expect(within(row!).getByTestId("session-item-team").textContent?.trim()).toBe(
      "Team · by maria",
    );
    expect(within(row!).queryByTestId("session-item-published")).toBeNull();
    await fireEvent.click(row!);
    expect((await screen.findByTestId("session-team")).textContent?.trim()).toBe("Team · by maria");
    expect(screen.getByTestId("session-team-step").textContent).toContain("Published by maria");
    expect(screen.queryByTestId("session-published")).toBeNull();
    expect(screen.queryByTestId("publish-session")).toBeNull();
    expect(screen.queryByTestId("session-publish-step")).toBeNull();
  });

  it("without a report server, it says to set one up", async () => {
    reviewBackend();
    await openReview();
    await fireEvent.click(all("session-item")[0]!);
    await fireEvent.click(await screen.findByTestId("publish-session"));
    const banner = await screen.findByTestId("app-error");
    expect(banner.textContent).toContain("Could not publish the session");
    expect(banner.textContent).toContain("set up the report server in Settings first");
    expect(screen.queryByTestId("session-published")).toBeNull();
    expect(screen.getByTestId("publish-session")).toBeTruthy();
  });

  it("is not offered before the lists are frozen", async () => {
    reviewBackend({}, [{ ...SESSION, summary: { ...SESSION.summary, frozen_at: null } }]);
    await openReview();
    await fireEvent.click(all("session-item")[0]!);
    await screen.findByTestId("session-freeze");
    expect(screen.queryByTestId("publish-session")).toBeNull();
  });
});

describe("Team sessions", () => {
  const MARIA_AT = Date.UTC(2026, 10, 29, 9, 30);
  const REFUSAL =
    'the session "Autumn picks" is on the dataset "ml-latest-small", which is not on this device: import the same files (Library → Datasets), then join';

  /**
   * A report server set up, where maria published {@link TEAM_SESSION} (4 judgements on it) and
   * this device published the fixture session; `overrides` replace single commands.
   */
  function teamBackend(overrides: Parameters<typeof reviewBackend>[0] = {}) {
    const backend = reviewBackend(overrides);
    backend.sync.configure();
    backend.sync.publishedBy("maria", TEAM_SESSION, { publishedAt: MARIA_AT, events: 4 });
    backend.sync.published.add("s1");
    backend.fake.markPublished("s1", Date.UTC(2026, 10, 28, 10));
    return backend;
  }

  async function openTeam() {
    await openReview();
    return screen.findAllByTestId("team-session");
  }

  /** The Join button of team session `id`. */
  function joinButton(id: string): HTMLButtonElement {
    const row = document.querySelector(`[data-testid="team-session"][data-session-id="${id}"]`);
    return within(row as HTMLElement).getByTestId("team-session-join") as HTMLButtonElement;
  }

  it("are not listed (nor asked for) without a report server", async () => {
    const { calls } = reviewBackend();
    await openReview();
    await waitFor(() =>
      expect(screen.getByTestId("sync-status").textContent?.trim()).toBe("Sync off"),
    );
    expect(screen.queryByTestId("team-sessions")).toBeNull();
    expect(calls.some((c) => c.command === "team_sessions")).toBe(false);
  });

  it("lists the server's sessions newest first: who, when, counts only; Join or On this device", async () => {
    teamBackend();
    const [theirs, ours] = await openTeam();
    expect(all("team-session").map((r) => r.dataset.sessionId)).toEqual(["t1", "s1"]);

    expect(within(theirs!).getByTestId("team-session-name").textContent).toBe("Autumn picks");
    expect(within(theirs!).getByTestId("team-session-owner").textContent).toBe("by maria");
    expect(theirs!.querySelector("time")?.textContent?.trim()).toBe(formatDateTime(MARIA_AT));
    const counts = within(theirs!).getByTestId("team-session-counts").textContent;
    expect(counts?.replace(/\s+/g, " ").trim()).toBe("2 personas · 2 candidates · 4 judgements");
    // Counts only: a blind session stays blind.
    expect(theirs!.textContent).not.toContain("EASE");
    expect(theirs!.dataset.onDevice).toBe("false");
    expect(joinButton("t1").textContent?.trim()).toBe("Join");
    expect(within(theirs!).queryByTestId("team-session-here")).toBeNull();

    expect(within(ours!).getByTestId("team-session-owner").textContent).toBe("by ana");
    expect(ours!.dataset.onDevice).toBe("true");
    expect(within(ours!).getByTestId("team-session-here").textContent).toBe("On this device");
    expect(within(ours!).queryByTestId("team-session-join")).toBeNull();
  });

  it("Join: busy while it runs, then lists the session here and opens it, marked Team · by maria", async () => {
    const gate = deferred<void>();
    let sync: FakeSync | null = null;
    const backend = teamBackend({
      join_session: async (args) => {
        await gate.promise;
        return sync!.handlers().join_session!(args);
      },
    });
    sync = backend.sync;
    await openTeam();
    expect(all("session-item").map((r) => r.dataset.sessionId)).toEqual(["s1"]);

    await fireEvent.click(joinButton("t1"));
    const button = joinButton("t1");
    expect(button.textContent?.trim()).toBe("Joining…");
    expect(button.getAttribute("aria-busy")).toBe("true");
    expect(button.disabled).toBe(true);

    gate.resolve();
    await waitFor(() =>
      expect(screen.getByTestId("session-title").textContent).toBe("Autumn picks"),
    );
    expect(all("session-item").map((r) => r.dataset.sessionId)).toEqual(["t1", "s1"]);
    const [joined] = all("session-item");
    expect(joined!.getAttribute("aria-current")).toBe("true");
    expect(within(joined!).getByTestId("session-item-team").textContent?.trim()).toBe(
      "Team · by maria",
    );
    expect(screen.getByTestId("session-team").textContent?.trim()).toBe("Team · by maria");
    expect(screen.getByTestId("session-start").textContent?.trim()).toBe("Start judging");
    expect(screen.queryByTestId("publish-session")).toBeNull();

    const row = all("team-session")[0]!;
    expect(row.dataset.onDevice).toBe("true");
    expect(within(row).getByTestId("team-session-here")).toBeTruthy();
    const commands = backend.calls.map((c) => c.command);
    expect(backend.calls).toContainEqual({ command: "join_session", args: { sessionId: "t1" } });
    expect(commands.lastIndexOf("list_sessions")).toBeGreaterThan(commands.indexOf("join_session"));

    // Judged here, its judgements go to the server with the next sync.
    await fireEvent.click(screen.getByTestId("session-start"));
    await screen.findByTestId("board");
  });

  it("a refused join says what to do in place; nothing opens", async () => {
    const { sync } = teamBackend();
    sync.remote.get("t1")!.refusal = REFUSAL;
    await openTeam();
    await fireEvent.click(joinButton("t1"));
    const error = await screen.findByTestId("team-session-join-error");
    expect(error.textContent?.trim()).toBe(REFUSAL);
    expect(error.closest('[data-testid="team-session"]')?.getAttribute("data-session-id")).toBe(
      "t1",
    );
    expect(joinButton("t1").disabled).toBe(false);
    expect(screen.queryByTestId("session-detail")).toBeNull();
    expect(all("session-item")).toHaveLength(1);

    // Fixed (the dataset imported), joining again works and the message goes.
    sync.remote.get("t1")!.refusal = null;
    await fireEvent.click(joinButton("t1"));
    await screen.findByTestId("session-detail");
    expect(screen.queryByTestId("team-session-join-error")).toBeNull();
  });

  it("offline: one line says why instead of the list; Refresh lists them once it is back", async () => {
    const { sync, calls } = teamBackend();
    sync.offline = true;
    await openReview();
    const line = await screen.findByTestId("team-sessions-error");
    expect(line.dataset.code).toBe("unavailable");
    expect(line.textContent).toContain("Offline:");
    expect(line.textContent).toContain("cannot reach http://reports.test:8080");
    expect(line.getAttribute("title")).toContain("cannot reach http://reports.test:8080");
    expect(all("team-session")).toHaveLength(0);
    // The sessions on this device are still there.
    expect(all("session-item")).toHaveLength(1);

    sync.offline = false;
    await fireEvent.click(screen.getByTestId("team-sessions-refresh"));
    await waitFor(() => expect(all("team-session")).toHaveLength(2));
    expect(screen.queryByTestId("team-sessions-error")).toBeNull();
    expect(calls.filter((c) => c.command === "team_sessions")).toHaveLength(2);
  });

  it("nothing published yet: says so", async () => {
    const { sync } = reviewBackend();
    sync.configure();
    await openReview();
    expect((await screen.findByTestId("team-sessions-empty")).textContent).toContain(
      "Nobody has published a session yet",
    );
  });
});
