import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";

import App from "../App.svelte";
import type { SessionDetail } from "../lib/ipc";
import { formatDateTime } from "../lib/format";
import { clearBackend } from "../lib/ipc/mock";
import { loadPlot } from "../lib/report/charts/plot";
import { ReportState } from "../lib/report/report.svelte";
import { all } from "../lib/testing/dom";
import { SESSION } from "../lib/testing/fixtures";
import { reviewBackend } from "../lib/testing/reviewBackend";
import { decision } from "../lib/testing/syncFake";
import ReportView from "./ReportView.svelte";

afterEach(clearBackend);
beforeEach(() => localStorage.clear());
// The charts load Plot on first use; load it once up front (it goes through Vite's transforms).
beforeAll(() => loadPlot(), 30_000);

/** The fixture session, not blind: its report shows at once. */
const OPEN: SessionDetail = { ...SESSION, summary: { ...SESSION.summary, blind: false } };

async function showReport(sessions: SessionDetail[] = [OPEN]) {
  const backend = reviewBackend({}, sessions);
  const report = new ReportState("s1", "Release v3 vs v2");
  let closed = 0;
  render(ReportView, { report, onclose: () => closed++ });
  await report.load();
  return { ...backend, report, closed: () => closed };
}

describe("ReportView", () => {
  it("shows the gate FAILED with every check, its number and what it needs", async () => {
    await showReport();
    const gate = await screen.findByTestId("report-gate");
    expect(gate.dataset.passed).toBe("false");
    expect(within(gate).getByTestId("report-gate-verdict").textContent).toContain("FAILED");
    expect(gate.textContent).toContain("4 of 5 checks passed");
    const rows = all("gate-check-win_probability");
    expect(rows).toHaveLength(1);
    const win = rows[0]!;
    expect(win.dataset.passed).toBe("false");
    expect(within(win).getByTestId("gate-check-value").textContent).toBe("0.450");
    expect(within(win).getByTestId("gate-check-threshold").textContent).toBe("> 0.500");
    const reviewers = screen.getByTestId("gate-check-reviewers");
    expect(reviewers.dataset.passed).toBe("true");
    expect(within(reviewers).getByTestId("gate-check-value").textContent).toBe("3");
    expect(within(reviewers).getByTestId("gate-check-threshold").textContent).toBe("≥ 3");
    expect(screen.getByTestId("gate-check-agreement").textContent).toContain('"overall"');
  });

  it("says the challenger's win probability and position bias in words", async () => {
    await showReport();
    expect((await screen.findByTestId("report-win")).textContent).toBe(
      "Challenger EASE (λ 250) beats incumbent Popularity with probability 0.65 (95% CI 0.45–0.82).",
    );
    expect(screen.getByTestId("report-position-bias").textContent).toContain(
      "won 56% of 16 decided pairs (9 of them), p = 0.804: no sign of position bias.",
    );
    expect(screen.getByTestId("legend-challenger").textContent).toContain("EASE (λ 250)");
    expect(screen.getByTestId("legend-incumbent").textContent).toContain("Popularity");
  });

  it("draws the three charts as SVG, the challenger and incumbent in their colours", async () => {
    await showReport();
    const means = await screen.findByTestId("chart-means");
    await waitFor(() => expect(means.querySelectorAll("svg")).toHaveLength(5));
    const relevance = screen.getByTestId("chart-means-relevance");
    expect(relevance.querySelector(".role-challenger circle")).toBeTruthy();
    expect(relevance.querySelector(".role-incumbent circle")).toBeTruthy();
    expect(relevance.querySelector(".role-other circle")).toBeTruthy();
    expect(relevance.textContent).toContain("EASE (λ 250)");

    const bt = screen.getByTestId("chart-bt");
    await waitFor(() => expect(bt.querySelector("svg")).toBeTruthy());
    expect(bt.querySelectorAll("circle")).toHaveLength(3);
    expect(bt.querySelector(".ref line")).toBeTruthy();

    const alpha = screen.getByTestId("chart-alpha");
    await waitFor(() => expect(alpha.querySelector("svg")).toBeTruthy());
    // diversity (0.52) is low; freshness has no α.
    expect(alpha.querySelectorAll(".low rect")).toHaveLength(1);
    expect(alpha.querySelectorAll(".ok rect")).toHaveLength(3);
    expect(alpha.textContent).toContain("0.52 · low");
    expect(alpha.textContent).toContain("undefined");
    expect(alpha.textContent).toContain("◆ overall");
  });

  it("lists the win/tie/loss records and the flags", async () => {
    await showReport();
    const matrix = await screen.findByTestId("report-matrix");
    const rows = within(matrix).getAllByTestId("matrix-row");
    expect(rows.map((r) => r.dataset.candidate)).toEqual([
      "EASE (λ 250)",
      "Popularity",
      "Random (control)",
    ]);
    expect(rows[0]!.textContent).toContain("4–0–2");
    expect(rows[0]!.textContent).toContain("challenger");
    const flags = screen.getByTestId("report-flags");
    const flagRows = within(flags).getAllByTestId("report-flag-row");
    expect(flagRows).toHaveLength(3);
    expect(flagRows[0]!.textContent).toContain("Rocket Pals");
    expect(flagRows[0]!.textContent).toContain("Inappropriate or age mismatch ×2");
    expect(flagRows[0]!.textContent).toContain("Random (control)");
  });

  it("asks first in a blind session this reviewer has not finished", async () => {
    await showReport([SESSION]);
    const notice = await screen.findByTestId("report-blind-notice");
    expect(notice.textContent).toContain(
      "This report names the candidates. You have personas left to judge in this blind session; reading it now may bias you.",
    );
    expect(screen.queryByTestId("report-gate")).toBeNull();
    await fireEvent.click(screen.getByTestId("report-show-anyway"));
    expect(await screen.findByTestId("report-gate")).toBeTruthy();
  });

  it("saves thresholds: the gate follows and the editor closes", async () => {
    const { calls } = await showReport();
    await fireEvent.click(await screen.findByTestId("gate-edit"));
    const editor = screen.getByTestId("gate-editor");
    expect((screen.getByTestId("gate-min-win-probability") as HTMLInputElement).value).toBe("0.5");
    expect((screen.getByTestId("gate-alpha-criterion") as HTMLSelectElement).value).toBe("overall");
    expect(
      within(editor)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["relevance", "diversity", "freshness", "editorial quality", "overall"]);
    expect((screen.getByTestId("gate-blocker-inappropriate") as HTMLInputElement).checked).toBe(
      true,
    );
    await fireEvent.input(screen.getByTestId("gate-min-win-probability"), {
      target: { value: "0.4" },
    });
    await fireEvent.click(screen.getByTestId("gate-blocker-stale"));
    await fireEvent.click(screen.getByTestId("gate-save"));
    await waitFor(() => expect(screen.getByTestId("report-gate").dataset.passed).toBe("true"));
    expect(screen.getByTestId("report-gate-verdict").textContent).toContain("PASSED");
    expect(screen.queryByTestId("gate-editor")).toBeNull();
    expect(calls.find((c) => c.command === "set_session_gate")?.args).toEqual({
      request: {
        session_id: "s1",
        gate: {
          min_win_probability: 0.4,
          min_alpha: 0.667,
          alpha_criterion: "overall",
          blocker_flags: ["inappropriate", "stale"],
          min_reviewers: 3,
          min_judgements: 30,
        },
      },
    });
    expect(
      within(screen.getByTestId("gate-check-win_probability")).getByTestId("gate-check-threshold")
        .textContent,
    ).toBe("> 0.400");
  });

  it("shows the backend's refusal of a threshold out of range, and resets to the defaults", async () => {
    const { fake } = await showReport();
    fake.gates.set("s1", {
      min_win_probability: 0.4,
      min_alpha: 0.5,
      alpha_criterion: "relevance",
      blocker_flags: [],
      min_reviewers: 1,
      min_judgements: 1,
    });
    await fireEvent.click(await screen.findByTestId("report-refresh"));
    await waitFor(() => expect(screen.getByTestId("report-gate").dataset.passed).toBe("true"));
    await fireEvent.click(screen.getByTestId("gate-edit"));
    await fireEvent.input(screen.getByTestId("gate-min-win-probability"), {
      target: { value: "1.5" },
    });
    await fireEvent.click(screen.getByTestId("gate-save"));
    const error = await screen.findByTestId("app-error");
    expect(error.textContent).toContain("Could not save the thresholds");
    expect(error.textContent).toContain(
      "the win probability threshold is between 0 and 1, not 1.5",
    );
    expect(error.textContent).toContain("invalid_input");
    expect(screen.getByTestId("gate-editor")).toBeTruthy();
    expect(screen.getByTestId("report-gate").dataset.passed).toBe("true");

    await fireEvent.click(screen.getByTestId("gate-reset"));
    await waitFor(() => expect(screen.getByTestId("report-gate").dataset.passed).toBe("false"));
    expect(fake.gates.has("s1")).toBe(false);
    expect((screen.getByTestId("gate-min-win-probability") as HTMLInputElement).value).toBe("0.5");
    expect((screen.getByTestId("gate-alpha-criterion") as HTMLSelectElement).value).toBe("overall");
    expect(screen.queryByTestId("app-error")).toBeNull();
  });

  it("says what is missing before sending thresholds", async () => {
    const { calls } = await showReport();
    await fireEvent.click(await screen.findByTestId("gate-edit"));
    await fireEvent.input(screen.getByTestId("gate-min-reviewers"), { target: { value: "1.5" } });
    await fireEvent.input(screen.getByTestId("gate-min-alpha"), { target: { value: "" } });
    await fireEvent.click(screen.getByTestId("gate-save"));
    const problems = screen.getByTestId("gate-form-error");
    expect(problems.textContent).toContain("Give the lowest α");
    expect(problems.textContent).toContain("The fewest reviewers must be a whole number");
    expect(calls.map((c) => c.command)).not.toContain("set_session_gate");
  });

  it("exports a format to a typed path and says how much it saved where", async () => {
    const { calls, fake } = await showReport();
    const buttons = (await screen.findAllByRole("button")).filter((b) =>
      b.dataset.testid?.startsWith("export-"),
    );
    expect(buttons.map((b) => b.textContent?.trim())).toEqual([
      "HTML report",
      "Markdown",
      "Summary CSV",
      "Report JSON",
      "Judgements (JSON Lines)",
      "Judgements (CSV)",
      "Battles (JSON Lines)",
    ]);
    await fireEvent.click(screen.getByTestId("export-html"));
    const form = screen.getByTestId("report-export");
    expect(form.textContent).toContain("Export: HTML report");
    const path = screen.getByTestId("report-export-path") as HTMLInputElement;
    expect(path.placeholder).toBe("/path/to/Release v3 vs v2.html");
    await fireEvent.input(path, { target: { value: "  /tmp/out/release.html " } });
    await fireEvent.click(screen.getByTestId("report-export-run"));
    const result = await screen.findByTestId("report-export-result");
    const bytes = new TextEncoder().encode(fake.files.get("/tmp/out/release.html")!).length;
    expect(bytes).toBeGreaterThan(0);
    expect(result.textContent).toBe(`Saved ${bytes} B to /tmp/out/release.html`);
    expect(calls.find((c) => c.command === "export_session")?.args).toEqual({
      request: { session_id: "s1", format: "html", path: "/tmp/out/release.html" },
    });

    // Each format keeps its own form; the JSON one is in kB.
    await fireEvent.click(screen.getByTestId("export-report_json"));
    expect((screen.getByTestId("report-export-path") as HTMLInputElement).value).toBe("");
    await fireEvent.input(screen.getByTestId("report-export-path"), {
      target: { value: "/tmp/out/" },
    });
    await fireEvent.click(screen.getByTestId("report-export-run"));
    expect((await screen.findByTestId("app-error")).textContent).toContain("Is a directory");
    await fireEvent.input(screen.getByTestId("report-export-path"), {
      target: { value: "/tmp/out/r.json" },
    });
    await fireEvent.click(screen.getByTestId("report-export-run"));
    expect((await screen.findByTestId("report-export-result")).textContent).toMatch(
      /^Saved \d+(\.\d)? kB to \/tmp\/out\/r\.json$/,
    );
    await fireEvent.click(screen.getByTestId("export-html"));
    expect((screen.getByTestId("report-export-path") as HTMLInputElement).value).toBe(
      "  /tmp/out/release.html ",
    );
  });

  it("Browse… asks where to save, suggesting the session's name", async () => {
    const { calls } = await showReport();
    await fireEvent.click(await screen.findByTestId("export-markdown"));
    // No dialog handler: the mock rejects; the suggestion is what matters here.
    await fireEvent.click(screen.getByTestId("report-export-path-browse"));
    await waitFor(() =>
      expect(calls.find((c) => c.command === "plugin:dialog|save")?.args).toEqual({
        options: {
          defaultPath: "Release v3 vs v2.md",
          filters: [{ name: "Markdown", extensions: ["md"] }],
        },
      }),
    );
  });
});

describe("the Report button", () => {
  it("opens the open session's report over the whole tab, and goes back", async () => {
    reviewBackend({}, [OPEN]);
    render(App);
    await screen.findAllByTestId("persona-item");
    await fireEvent.click(screen.getByTestId("nav-review"));
    await fireEvent.click((await screen.findAllByTestId("session-item"))[0]!);
    const panel = await screen.findByTestId("session-detail");
    expect(panel.textContent).toContain("challenger");
    await fireEvent.click(await screen.findByTestId("report-open"));
    expect(await screen.findByTestId("report-gate")).toBeTruthy();
    expect(screen.getByTestId("report-title").textContent).toBe("Release v3 vs v2");
    expect(screen.queryByTestId("session-list")).toBeNull();
    await fireEvent.click(screen.getByTestId("report-close"));
    expect(await screen.findByTestId("session-detail")).toBeTruthy();
  });

  it("is not offered before the lists are frozen", async () => {
    reviewBackend({}, [{ ...OPEN, summary: { ...OPEN.summary, frozen_at: null } }]);
    render(App);
    await screen.findAllByTestId("persona-item");
    await fireEvent.click(screen.getByTestId("nav-review"));
    await fireEvent.click((await screen.findAllByTestId("session-item"))[0]!);
    await screen.findByTestId("session-freeze");
    expect(screen.queryByTestId("report-open")).toBeNull();
  });
});

describe("the team's report", () => {
  /** The fixture session published on a fake server, with two decisions recorded on it. */
  async function showTeam(sessions: SessionDetail[] = [OPEN]) {
    const shown = await showReport(sessions);
    const { sync } = shown;
    sync.configure();
    sync.published.add("s1");
    const digest = sync.digest("s1");
    sync.decisions.set("s1", [
      decision("s1", {
        id: 1,
        decision: "reject",
        author: "maria",
        note: "Wait for a third reviewer.",
        report_digest: "f".repeat(64),
        created_at: Date.UTC(2026, 10, 30, 9, 5),
      }),
      decision("s1", {
        id: 2,
        decision: "approve",
        author: "jonas",
        note: "",
        report_digest: digest,
        created_at: Date.UTC(2026, 11, 1, 12, 40),
      }),
    ]);
    return { ...shown, digest };
  }

  it("Team shows the server's report with its version and decisions, newest first", async () => {
    const { calls, report, digest, sync } = await showTeam();
    const fetchedAt = Date.UTC(2026, 11, 1, 14, 5);
    sync.fetchedAt = fetchedAt;
    await screen.findByTestId("report-gate");
    expect(screen.getByTestId("report-scope-device").getAttribute("aria-pressed")).toBe("true");
    expect(screen.getByTestId("gate-edit")).toBeTruthy();

    await fireEvent.click(screen.getByTestId("report-scope-team"));
    expect(screen.getByTestId("report-scope-team").getAttribute("aria-pressed")).toBe("true");
    const decisions = await screen.findByTestId("team-decisions");
    expect(decisions.dataset.count).toBe("2");
    const rows = within(decisions).getAllByTestId("team-decision");
    expect(rows.map((r) => r.dataset.decision)).toEqual(["approve", "reject"]);
    expect(rows[0]!.textContent).toContain("Approved");
    expect(rows[0]!.textContent).toContain("jonas");
    expect(rows[0]!.textContent).toContain("1 Dec 2026");
    expect(rows[0]!.textContent).toContain("No note.");
    expect(within(rows[0]!).queryByTestId("team-decision-earlier")).toBeNull();
    expect(rows[1]!.textContent).toContain("Rejected");
    expect(rows[1]!.textContent).toContain("maria");
    expect(rows[1]!.textContent).toContain("Wait for a third reviewer.");
    expect(within(rows[1]!).getByTestId("team-decision-earlier")).toBeTruthy();
    expect(screen.getByTestId("team-digest").textContent).toBe(digest.slice(0, 12));
    // As of when this device fetched it, next to the version.
    const fetched = screen.getByTestId("team-fetched-at");
    expect(fetched.textContent?.trim()).toBe(formatDateTime(fetchedAt));
    expect(fetched.getAttribute("datetime")).toBe("2026-12-01T14:05:00.000Z");
    expect(fetched.parentElement?.textContent?.replace(/\s+/g, " ")).toContain(
      `${digest.slice(0, 12)} as of ${formatDateTime(fetchedAt)}`,
    );

    // The same report components, with the team's report: no thresholds editor, no exports.
    expect(screen.getByTestId("report-gate")).toBeTruthy();
    expect(screen.getByTestId("report-win").textContent).toContain("Challenger EASE (λ 250)");
    expect(screen.queryByTestId("gate-edit")).toBeNull();
    expect(screen.queryByTestId("export-html")).toBeNull();
    expect(screen.getByTestId("report-facts").textContent).toContain("3 reviewers");
    expect(screen.getByTestId("report-facts").textContent).toContain("from the report server");
    expect(calls.filter((c) => c.command === "team_report")).toEqual([
      { command: "team_report", args: { sessionId: "s1" } },
    ]);

    // Back and forth keeps it; Refresh asks again.
    await fireEvent.click(screen.getByTestId("report-scope-device"));
    expect(screen.getByTestId("export-html")).toBeTruthy();
    expect(screen.queryByTestId("team-decisions")).toBeNull();
    await fireEvent.click(screen.getByTestId("report-scope-team"));
    await screen.findByTestId("team-decisions");
    expect(calls.filter((c) => c.command === "team_report")).toHaveLength(1);
    await fireEvent.click(screen.getByTestId("report-refresh"));
    await waitFor(() => expect(report.teamStatus).toBe("ready"));
    expect(calls.filter((c) => c.command === "team_report")).toHaveLength(2);
  });

  it("without decisions, says where approvers record them", async () => {
    const { sync } = await showTeam();
    sync.decisions.clear();
    await fireEvent.click(await screen.findByTestId("report-scope-team"));
    const none = await screen.findByTestId("team-decisions");
    expect(none.dataset.count).toBe("0");
    expect(none.textContent).toContain("No decision yet");
  });

  it("offline: the report server cannot be reached; Try again once it is back", async () => {
    const { sync } = await showTeam();
    sync.offline = true;
    await fireEvent.click(await screen.findByTestId("report-scope-team"));
    const error = await screen.findByTestId("team-error");
    expect(error.dataset.code).toBe("unavailable");
    expect(screen.getByTestId("team-error-title").textContent).toBe(
      "The report server cannot be reached",
    );
    expect(error.textContent).toContain("cannot reach http://reports.test:8080");
    expect(error.textContent).toContain("This device's report still works");
    expect(screen.queryByTestId("report-gate")).toBeNull();
    expect(screen.queryByTestId("report-facts")).toBeNull();

    sync.offline = false;
    await fireEvent.click(screen.getByTestId("team-retry"));
    expect(await screen.findByTestId("team-decisions")).toBeTruthy();
    expect(screen.queryByTestId("team-error")).toBeNull();
  });

  it("not published: publish the session to see the team's report", async () => {
    const { sync } = await showTeam();
    sync.published.clear();
    await fireEvent.click(await screen.findByTestId("report-scope-team"));
    const error = await screen.findByTestId("team-error");
    expect(error.dataset.code).toBe("not_found");
    expect(screen.getByTestId("team-error-title").textContent).toBe(
      "Publish the session to see the team's report",
    );
    expect(error.textContent).toContain("Publish to team");
    // The backend's own words add nothing here.
    expect(error.textContent).not.toContain("no session s1 on the server");
  });

  it("no report server: says to set one up in Settings", async () => {
    const { sync } = await showTeam();
    sync.url = null;
    sync.token = null;
    await fireEvent.click(await screen.findByTestId("report-scope-team"));
    expect((await screen.findByTestId("team-error-title")).textContent).toBe(
      "Set up the report server to see the team's report",
    );
  });

  it("any other failure is an error with its code", async () => {
    await showReport();
    clearBackend();
    reviewBackend({
      team_report: () => {
        throw { code: "internal", message: "unexpected answer from the server: not JSON" };
      },
    });
    await fireEvent.click(await screen.findByTestId("report-scope-team"));
    const banner = await screen.findByTestId("app-error");
    expect(banner.textContent).toContain("Could not load the team's report");
    expect(banner.textContent).toContain("not JSON");
    expect(screen.queryByTestId("team-error")).toBeNull();
  });

  it("the blind notice comes first for the team's report too", async () => {
    await showTeam([SESSION]);
    await screen.findByTestId("report-blind-notice");
    await fireEvent.click(screen.getByTestId("report-scope-team"));
    expect(screen.getByTestId("report-blind-notice")).toBeTruthy();
    expect(screen.queryByTestId("team-decisions")).toBeNull();
    await fireEvent.click(screen.getByTestId("report-show-anyway"));
    expect(await screen.findByTestId("team-decisions")).toBeTruthy();
  });
});
