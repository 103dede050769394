import { describe, expect, it } from "vitest";

import { IpcError } from "../ipc";
import { decision } from "../testing/syncFake";
import { newestFirst, shortDigest, teamProblem, verdictLabel } from "./team";

const error = (code: IpcError["code"], message: string) =>
  new IpcError(code, message, "team_report");

describe("teamProblem", () => {
  it("turns each refusal into what to do about it", () => {
    expect(teamProblem(error("unavailable", "cannot reach x"))).toMatchObject({
      title: "The report server cannot be reached",
      detail: true,
    });
    expect(teamProblem(error("not_found", "no session s1"))).toMatchObject({
      title: "Publish the session to see the team's report",
      detail: false,
    });
    expect(
      teamProblem(error("invalid_input", "set up the report server in Settings first")),
    ).toMatchObject({ title: "Set up the report server to see the team's report" });
    expect(teamProblem(error("invalid_input", "the token has expired"))).toMatchObject({
      title: "The report server refused",
      detail: true,
    });
    expect(teamProblem(error("internal", "boom"))).toBeNull();
  });
});

describe("decisions", () => {
  it("newest first, in words, with a short digest", () => {
    const a = decision("s1", { id: 1, decision: "approve", author: "a", created_at: 10 });
    const b = decision("s1", { id: 2, decision: "reject", author: "b", created_at: 20 });
    expect(newestFirst([a, b]).map((d) => d.id)).toEqual([2, 1]);
    expect([a, b].map(verdictLabel)).toEqual(["Approved", "Rejected"]);
    expect(shortDigest("0123456789abcdef".repeat(4))).toBe("0123456789ab");
  });
});
