import { afterEach, describe, expect, it } from "vitest";

import type { TeamSession } from "../ipc";
import { clearBackend } from "../ipc/mock";
import { deferred } from "../testing/async";
import { TEAM_SESSION } from "../testing/fixtures";
import { ReviewState } from "../review/review.svelte";
import { reviewBackend } from "../testing/reviewBackend";
import { TeamSessionsState } from "./teamSessions.svelte";

afterEach(clearBackend);

/** A report server where maria published {@link TEAM_SESSION}. */
function teamBackend(overrides: Parameters<typeof reviewBackend>[0] = {}) {
  const backend = reviewBackend(overrides);
  backend.sync.configure();
  backend.sync.publishedBy("maria", TEAM_SESSION, { events: 4 });
  return backend;
}

describe("TeamSessionsState", () => {
  it("lists the server's sessions, each saying whether it is on this device", async () => {
    const { sync, fake } = teamBackend();
    sync.published.add("s1");
    fake.markPublished("s1", Date.UTC(2026, 10, 28, 10));
    const team = new TeamSessionsState();
    expect(team.status).toBe("idle");
    const loading = team.load();
    expect(team.status).toBe("loading");
    await loading;
    expect(team.status).toBe("ready");
    expect(team.list.map((s) => [s.id, s.owner, s.on_device, s.events])).toEqual([
      ["t1", "maria", false, 4],
      ["s1", "ana", true, 0],
    ]);
  });

  it("joins: the session is marked on this device; joining again is harmless", async () => {
    const { calls, fake } = teamBackend();
    const team = new TeamSessionsState();
    await team.load();
    const joining = team.join("t1");
    expect(team.joining("t1")).toBe(true);
    expect(team.busy).toBe(true);
    const result = await joining;
    expect(result).toEqual({ session_id: "t1", lists: 4, personas_added: 0, already_here: false });
    expect(team.busy).toBe(false);
    expect(team.list[0]?.on_device).toBe(true);
    expect(fake.detail("t1")?.summary.published_by).toBe("maria");
    expect(calls).toContainEqual({ command: "join_session", args: { sessionId: "t1" } });
    await expect(team.join("t1")).resolves.toMatchObject({ already_here: true });
  });

  it("one join at a time", async () => {
    const gate = deferred<unknown>();
    const { calls } = teamBackend({ join_session: () => gate.promise });
    const team = new TeamSessionsState();
    const first = team.join("t1");
    await expect(team.join("t1")).resolves.toBeNull();
    gate.resolve({ session_id: "t1", lists: 4, personas_added: 0, already_here: false });
    await first;
    expect(calls.filter((c) => c.command === "join_session")).toHaveLength(1);
  });

  it("keeps a refusal by session, until the next try", async () => {
    const { sync } = teamBackend();
    sync.remote.get("t1")!.refusal = "import the same files (Library → Datasets), then join";
    const team = new TeamSessionsState();
    await team.load();
    await expect(team.join("t1")).resolves.toBeNull();
    expect(team.joinError("t1")).toMatchObject({ code: "invalid_input", command: "join_session" });
    expect(team.joinError("t1")?.message).toContain("then join");
    expect(team.list[0]?.on_device).toBe(false);
    await expect(team.join("nope")).resolves.toBeNull();
    expect(team.joinError("nope")?.code).toBe("not_found");

    sync.remote.get("t1")!.refusal = null;
    await team.join("t1");
    expect(team.joinError("t1")).toBeNull();
  });

  it("offline or without a server: the error, and no list", async () => {
    const { sync } = teamBackend();
    const team = new TeamSessionsState();
    await team.load();
    expect(team.list).toHaveLength(1);
    sync.offline = true;
    await team.load();
    expect(team.status).toBe("error");
    expect(team.error?.code).toBe("unavailable");
    expect(team.list).toEqual([]);
    sync.offline = false;
    sync.url = null;
    await team.load();
    expect(team.error?.message).toBe("set up the report server in Settings first");
  });

  it("drops an answer that a newer load overtook", async () => {
    const answers: ReturnType<typeof deferred<TeamSession[]>>[] = [];
    teamBackend({
      team_sessions: () => {
        const answer = deferred<TeamSession[]>();
        answers.push(answer);
        return answer.promise;
      },
    });
    const team = new TeamSessionsState();
    const older = team.load();
    const newer = team.load();
    const listing = (id: string): TeamSession => ({
      on_device: false,
      id,
      name: id,
      owner: "maria",
      published_at: 1,
      personas: 1,
      candidates: ["A", "B"],
      events: 0,
      decisions: [],
    });
    answers[1]!.resolve([listing("new")]);
    await newer;
    answers[0]!.resolve([listing("old")]);
    await older;
    expect(team.list.map((s) => s.id)).toEqual(["new"]);
  });
});

describe("ReviewState.join", () => {
  it("joins, refreshes the sessions and opens the joined one", async () => {
    teamBackend();
    const review = new ReviewState();
    await review.activate();
    expect(review.sessions.list.map((s) => s.id)).toEqual(["s1"]);
    await review.team.load();
    await expect(review.join("t1")).resolves.toBe(true);
    expect(review.sessions.list.map((s) => s.id)).toEqual(["t1", "s1"]);
    expect(review.session?.id).toBe("t1");
    expect(review.session?.detail?.summary.published_by).toBe("maria");
    expect(review.session?.frozen).toBe(true);
  });

  it("opens nothing when joining is refused", async () => {
    const { sync } = teamBackend();
    sync.remote.get("t1")!.refusal = "its history differs";
    const review = new ReviewState();
    await review.activate();
    await expect(review.join("t1")).resolves.toBe(false);
    expect(review.session).toBeNull();
    expect(review.team.joinError("t1")?.message).toBe("its history differs");
  });

  it("after a publish, the session and the list say it is published", async () => {
    const { sync } = reviewBackend();
    sync.configure();
    const review = new ReviewState();
    await review.activate();
    await review.openSession("s1");
    expect(review.session?.detail?.summary.published_at).toBeNull();
    await expect(review.publish()).resolves.toBe(true);
    expect(review.session?.detail?.summary.published_at).not.toBeNull();
    expect(review.sessions.list[0]?.published_at).not.toBeNull();
    expect(review.publications.get("s1")?.lists).toBe(6);
  });
});
