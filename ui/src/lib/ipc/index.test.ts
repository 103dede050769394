import { afterEach, describe, expect, it } from "vitest";

import { BOARD, CANDIDATES, INFO, ITEMS, PERSONAS, SESSION, detailOf } from "../testing/fixtures";
import {
  IpcError,
  archiveCandidate,
  candidateDetails,
  exportCandidates,
  importCandidates,
  exportSession,
  pickExportFile,
  pickSaveTomlFile,
  pickTomlFile,
  sessionReport,
  setSessionGate,
  saveCandidate,
  testCandidate,
  catalogInfo,
  createSession,
  deletePersona,
  duplicatePersona,
  exportPersonas,
  importDataset,
  importPersonas,
  listDatasets,
  listUsers,
  personaFromUser,
  pickFolder,
  pickJsonFile,
  pickSaveFile,
  savePersona,
  setActiveDataset,
  freezeSession,
  getBoard,
  getPersona,
  getSession,
  listCandidates,
  listPersonas,
  listSessions,
  recordJudgement,
  revealPersona,
  searchCatalog,
  sessionSummary,
  configureSync,
  publishSession,
  syncNow,
  syncSettings,
  syncStatus,
  teamReport,
  teamSessions,
  joinSession,
  runLoadCheck,
  cancelLoadCheck,
  loadChecks,
  type CandidateConfig,
  type LoadCheckRequest,
  type LoadProgress,
  type TeamSession,
  type SyncStatus,
  type NewSessionRequest,
  type RecordRequest,
} from "./index";
import { clearBackend, mockBackend, sendOnChannel } from "./mock";
import { REPORT } from "../testing/reportFake";

afterEach(clearBackend);

describe("ipc wrappers", () => {
  it("listPersonas calls list_personas without arguments", async () => {
    const calls = mockBackend({ list_personas: () => PERSONAS });
    await expect(listPersonas()).resolves.toEqual(PERSONAS);
    expect(calls).toEqual([{ command: "list_personas", args: {} }]);
  });

  it("getPersona sends the id", async () => {
    const calls = mockBackend({ get_persona: ({ id }) => detailOf(id as string) });
    const detail = await getPersona("reality-fan");
    expect(detail.persona.name).toBe("Reality TV fan");
    expect(calls).toEqual([{ command: "get_persona", args: { id: "reality-fan" } }]);
  });

  it("searchCatalog sends the query under `query`", async () => {
    const page = { items: ITEMS.slice(0, 2), total: 5, offset: 0 };
    const calls = mockBackend({ search_catalog: () => page });
    const query = { text: "love", content_type: "reality" as const, offset: 0, limit: 2 };
    await expect(searchCatalog(query)).resolves.toEqual(page);
    expect(calls).toEqual([{ command: "search_catalog", args: { query } }]);
  });

  it("catalogInfo calls catalog_info", async () => {
    const calls = mockBackend({ catalog_info: () => INFO });
    await expect(catalogInfo()).resolves.toEqual(INFO);
    expect(calls.map((c) => c.command)).toEqual(["catalog_info"]);
  });
});

describe("review wrappers", () => {
  it("send each command its name and camelCase argument keys", async () => {
    const saved = { op_id: "op-1", device_seq: 1, saved_at: 1 };
    const report = { snapshots: 6, failed: 0, seconds: 1.2 };
    const calls = mockBackend({
      list_candidates: () => CANDIDATES,
      list_sessions: () => [SESSION.summary],
      create_session: () => SESSION,
      get_session: () => SESSION,
      freeze_session: () => report,
      get_board: () => BOARD,
      record_judgement: () => saved,
      reveal_persona: () => BOARD,
      session_summary: () => [],
    });
    const request: NewSessionRequest = {
      name: "Release v3",
      persona_ids: ["reality-fan"],
      candidate_ids: ["ease", "popularity"],
      k: 10,
      blind: true,
      criteria: [],
      incumbent_candidate_id: "popularity",
      challenger_candidate_id: "ease",
    };
    const record: RecordRequest = {
      session_id: "s1",
      persona_id: "reality-fan",
      judgement: { kind: "rating", snapshot_id: "snap-a", criterion: "overall", score: 4 },
    };
    await expect(listCandidates()).resolves.toEqual(CANDIDATES);
    await expect(listSessions()).resolves.toEqual([SESSION.summary]);
    await expect(createSession(request)).resolves.toEqual(SESSION);
    await expect(getSession("s1")).resolves.toEqual(SESSION);
    await expect(freezeSession("s1")).resolves.toEqual(report);
    await expect(getBoard("s1", "reality-fan")).resolves.toEqual(BOARD);
    await expect(recordJudgement(record)).resolves.toEqual(saved);
    await expect(revealPersona("s1", "reality-fan")).resolves.toEqual(BOARD);
    await expect(sessionSummary("s1")).resolves.toEqual([]);
    expect(calls).toEqual([
      { command: "list_candidates", args: {} },
      { command: "list_sessions", args: {} },
      { command: "create_session", args: { request } },
      { command: "get_session", args: { sessionId: "s1" } },
      { command: "freeze_session", args: { sessionId: "s1", onProgress: expect.anything() } },
      { command: "get_board", args: { sessionId: "s1", personaId: "reality-fan" } },
      { command: "record_judgement", args: { request: record } },
      { command: "reveal_persona", args: { sessionId: "s1", personaId: "reality-fan" } },
      { command: "session_summary", args: { sessionId: "s1" } },
    ]);
  });
});

describe("sync wrappers", () => {
  it("send each command its name and camelCase argument keys", async () => {
    const status: SyncStatus = {
      state: "synced",
      pending: 0,
      local_only: 2,
      last_synced_at: 1,
      message: null,
      server_url: "http://reports.test",
    };
    const published = { session_id: "s1", lists: 6, sent: 3, status };
    const team = { fetched_at: 2, digest: "ab".repeat(32), report: REPORT, decisions: [] };
    const listed: TeamSession[] = [
      {
        on_device: false,
        id: "s9",
        name: "Autumn picks",
        owner: "maria",
        published_at: 1,
        personas: 2,
        candidates: ["EASE", "Popularity"],
        events: 4,
        decisions: [],
      },
    ];
    const joined = { session_id: "s9", lists: 4, personas_added: 1, already_here: false };
    const calls = mockBackend({
      sync_settings: () => ({ server_url: null, has_token: false, token_place: null }),
      configure_sync: () => status,
      sync_status: () => status,
      sync_now: () => status,
      publish_session: () => published,
      team_report: () => team,
      team_sessions: () => listed,
      join_session: () => joined,
    });
    const request = { server_url: "http://reports.test", token: "tok" };
    await expect(syncSettings()).resolves.toEqual({
      server_url: null,
      has_token: false,
      token_place: null,
    });
    await expect(configureSync(request)).resolves.toEqual(status);
    await expect(syncStatus()).resolves.toEqual(status);
    await expect(syncNow()).resolves.toEqual(status);
    await expect(publishSession("s1")).resolves.toEqual(published);
    await expect(teamReport("s1")).resolves.toEqual(team);
    await expect(teamSessions()).resolves.toEqual(listed);
    await expect(joinSession("s9")).resolves.toEqual(joined);
    expect(calls).toEqual([
      { command: "sync_settings", args: {} },
      { command: "configure_sync", args: { request } },
      { command: "sync_status", args: {} },
      { command: "sync_now", args: {} },
      { command: "publish_session", args: { sessionId: "s1" } },
      { command: "team_report", args: { sessionId: "s1" } },
      { command: "team_sessions", args: {} },
      { command: "join_session", args: { sessionId: "s9" } },
    ]);
  });

  it("a refused token or an unreachable server rejects with its code", async () => {
    mockBackend({
      configure_sync: () => {
        throw { code: "invalid_input", message: "the server refused the token: revoked" };
      },
      team_report: () => {
        throw { code: "unavailable", message: "cannot reach http://reports.test: refused" };
      },
    });
    await expect(configureSync({ server_url: "http://x", token: "t" })).rejects.toMatchObject({
      code: "invalid_input",
      command: "configure_sync",
    });
    await expect(teamReport("s1")).rejects.toMatchObject({
      code: "unavailable",
      command: "team_report",
    });
  });

  it("listing team sessions without a server, or joining one that cannot be, rejects with its code", async () => {
    const refusal =
      'the session "Autumn picks" is on the dataset "ml-latest-small", which is not on this device: import the same files (Library → Datasets), then join';
    mockBackend({
      team_sessions: () => {
        throw { code: "invalid_input", message: "set up the report server in Settings first" };
      },
      join_session: ({ sessionId }) => {
        throw sessionId === "s9"
          ? { code: "invalid_input", message: refusal }
          : { code: "not_found", message: `no published session ${JSON.stringify(sessionId)}` };
      },
    });
    await expect(teamSessions()).rejects.toMatchObject({
      code: "invalid_input",
      message: "set up the report server in Settings first",
      command: "team_sessions",
    });
    await expect(joinSession("s9")).rejects.toMatchObject({
      code: "invalid_input",
      message: refusal,
      command: "join_session",
    });
    await expect(joinSession("gone")).rejects.toMatchObject({
      code: "not_found",
      command: "join_session",
    });
  });
});

describe("dataset and persona wrappers", () => {
  it("send each command its name and argument keys", async () => {
    const detail = detailOf("reality-fan")!;
    const calls = mockBackend({
      list_datasets: () => [],
      set_active_dataset: () => ({ id: "ml" }),
      save_persona: () => detail,
      duplicate_persona: () => detail,
      delete_persona: () => null,
      list_users: () => [],
      persona_from_user: () => detail,
      export_personas: () => 3,
      import_personas: () => ({ added: [], updated: [], unchanged: [] }),
    });
    await listDatasets();
    await setActiveDataset("ml");
    await savePersona(detail.persona);
    await duplicatePersona("reality-fan");
    await expect(deletePersona("reality-fan")).resolves.toBeNull();
    await listUsers({ text: "4", limit: 50 });
    await personaFromUser({ user_id: "42", name: null });
    await expect(exportPersonas("/tmp/p.json", null)).resolves.toBe(3);
    await importPersonas("/tmp/p.json");
    expect(calls).toEqual([
      { command: "list_datasets", args: {} },
      { command: "set_active_dataset", args: { id: "ml" } },
      { command: "save_persona", args: { persona: detail.persona } },
      { command: "duplicate_persona", args: { id: "reality-fan" } },
      { command: "delete_persona", args: { id: "reality-fan" } },
      { command: "list_users", args: { query: { text: "4", limit: 50 } } },
      { command: "persona_from_user", args: { request: { user_id: "42", name: null } } },
      { command: "export_personas", args: { path: "/tmp/p.json", ids: null } },
      { command: "import_personas", args: { path: "/tmp/p.json" } },
    ]);
  });

  it("importDataset hands progress from the channel to the callback, in order", async () => {
    const request = { path: "/d", format: null, name: null, strict: false, activate: true };
    const report = { dataset: { id: "x" }, warnings: [], seconds: 1 };
    const calls = mockBackend({
      import_dataset: ({ onProgress }) => {
        sendOnChannel(onProgress, { stage: "reading", file: "a.csv", done: 1, total: 2 });
        sendOnChannel(onProgress, { stage: "saving", file: null, done: 1, total: 1 });
        return report;
      },
    });
    const seen: unknown[] = [];
    await expect(importDataset(request, (p) => seen.push(p))).resolves.toEqual(report);
    expect(seen).toEqual([
      { stage: "reading", file: "a.csv", done: 1, total: 2 },
      { stage: "saving", file: null, done: 1, total: 1 },
    ]);
    expect(calls[0]?.args).toMatchObject({ request });
  });

  it("the file dialogs resolve to the path, or null when cancelled", async () => {
    const calls = mockBackend({
      "plugin:dialog|open": ({ options }) =>
        (options as { directory: boolean }).directory ? "/data/ml" : null,
      "plugin:dialog|save": () => "/tmp/personas.json",
    });
    await expect(pickFolder()).resolves.toBe("/data/ml");
    await expect(pickJsonFile()).resolves.toBeNull();
    await expect(pickSaveFile("personas.json")).resolves.toBe("/tmp/personas.json");
    expect(calls.map((c) => c.args.options)).toEqual([
      { directory: true, multiple: false },
      {
        directory: false,
        multiple: false,
        filters: [{ name: "Persona files", extensions: ["json"] }],
      },
      { defaultPath: "personas.json", filters: [{ name: "Persona files", extensions: ["json"] }] },
    ]);
  });
});

describe("report wrappers", () => {
  it("send each command its name and argument keys", async () => {
    const report = {
      session_id: "s1",
      name: "Release v3 vs v2",
      dataset: "Demo catalog",
      blind: true,
      reviewer_done: false,
      generated_at: 1,
      report: REPORT,
    };
    const written = { path: "/tmp/r.html", format: "html", bytes: 12_345 };
    const calls = mockBackend({
      session_report: () => report,
      export_session: () => written,
      set_session_gate: () => report,
      "plugin:dialog|save": () => "/tmp/r.html",
    });
    const request = { session_id: "s1", format: "html" as const, path: "/tmp/r.html" };
    const gate = { session_id: "s1", gate: REPORT.gate.thresholds };
    await expect(sessionReport("s1")).resolves.toEqual(report);
    await expect(exportSession(request)).resolves.toEqual(written);
    await expect(setSessionGate(gate)).resolves.toEqual(report);
    await setSessionGate({ session_id: "s1", gate: null });
    await expect(pickExportFile("r.html", "HTML report", "html")).resolves.toBe("/tmp/r.html");
    expect(calls).toEqual([
      { command: "session_report", args: { sessionId: "s1" } },
      { command: "export_session", args: { request } },
      { command: "set_session_gate", args: { request: gate } },
      { command: "set_session_gate", args: { request: { session_id: "s1", gate: null } } },
      {
        command: "plugin:dialog|save",
        args: {
          options: {
            defaultPath: "r.html",
            filters: [{ name: "HTML report", extensions: ["html"] }],
          },
        },
      },
    ]);
  });
});

describe("load check wrappers", () => {
  const request: LoadCheckRequest = {
    session_id: "s1",
    candidate_id: "ease",
    rate: 20,
    duration_s: 30,
    ramp_s: 0,
    concurrency: 16,
    max_p99_ms: 500,
    confirm_cost: false,
  };
  const second = (elapsed_s: number): LoadProgress => ({
    elapsed_s,
    length_s: 30,
    target_rps: 20,
    sent: 20 * elapsed_s,
    done: 20 * elapsed_s,
    errors: 0,
    rps: 20,
    latency_ms: { p50: 8, p90: 14, p95: 18, p99: 35, max: 52 },
  });

  it("runLoadCheck hands each second from the channel to the callback, then resolves", async () => {
    const check = { id: "lc-1", passed: true };
    const calls = mockBackend({
      run_load_check: ({ onProgress }) => {
        sendOnChannel(onProgress, second(1));
        sendOnChannel(onProgress, second(2));
        return check;
      },
      cancel_load_check: () => null,
      load_checks: () => [check],
    });
    const seen: LoadProgress[] = [];
    await expect(runLoadCheck(request, (p) => seen.push(p))).resolves.toEqual(check);
    expect(seen).toEqual([second(1), second(2)]);
    await expect(cancelLoadCheck()).resolves.toBeNull();
    await expect(loadChecks("s1")).resolves.toEqual([check]);
    expect(calls).toEqual([
      { command: "run_load_check", args: { request, onProgress: expect.anything() } },
      { command: "cancel_load_check", args: {} },
      { command: "load_checks", args: { sessionId: "s1" } },
    ]);
  });

  it("a refused check rejects with its code and the backend's words", async () => {
    mockBackend({
      run_load_check: () => {
        throw { code: "invalid_input", message: "rate: between 0 and 2000 requests/s, not 0" };
      },
    });
    await expect(runLoadCheck({ ...request, rate: 0 })).rejects.toMatchObject({
      code: "invalid_input",
      message: "rate: between 0 and 2000 requests/s, not 0",
      command: "run_load_check",
    });
  });
});

describe("candidate wrappers", () => {
  it("send each command its name and argument keys", async () => {
    const config: CandidateConfig = {
      kind: "http",
      name: "Two-tower v3",
      url: "http://127.0.0.1:8080/recommend",
      timeout_ms: 5000,
      headers: { Authorization: "Bearer ${TOKEN}" },
    };
    const detail = { id: "c1", config, archived: false, builtin: false };
    const test = {
      persona: "Reality TV fan",
      ok: true,
      error: null,
      warnings: [],
      titles: ["Love Villa"],
      items: 10,
      latency_ms: 12.5,
    };
    const report = { added: ["Two-tower v3"], updated: [], unchanged: [] };
    const calls = mockBackend({
      candidate_details: () => [detail],
      save_candidate: () => detail,
      archive_candidate: () => null,
      test_candidate: () => test,
      import_candidates: () => report,
      export_candidates: () => 7,
    });
    await expect(candidateDetails(true)).resolves.toEqual([detail]);
    await expect(saveCandidate(null, config)).resolves.toEqual(detail);
    await saveCandidate("c1", config);
    await expect(archiveCandidate("c1", true)).resolves.toBeNull();
    await expect(testCandidate(config)).resolves.toEqual(test);
    await expect(importCandidates("/tmp/c.toml")).resolves.toEqual(report);
    await expect(exportCandidates("/tmp/c.toml")).resolves.toBe(7);
    expect(calls).toEqual([
      { command: "candidate_details", args: { archived: true } },
      { command: "save_candidate", args: { id: null, config } },
      { command: "save_candidate", args: { id: "c1", config } },
      { command: "archive_candidate", args: { id: "c1", archived: true } },
      { command: "test_candidate", args: { config } },
      { command: "import_candidates", args: { path: "/tmp/c.toml" } },
      { command: "export_candidates", args: { path: "/tmp/c.toml" } },
    ]);
  });

  it("the candidates-file dialogs offer TOML files", async () => {
    const calls = mockBackend({
      "plugin:dialog|open": () => "/tmp/in.toml",
      "plugin:dialog|save": () => null,
    });
    await expect(pickTomlFile()).resolves.toBe("/tmp/in.toml");
    await expect(pickSaveTomlFile("candidates.toml")).resolves.toBeNull();
    const toml = [{ name: "Candidates files", extensions: ["toml"] }];
    expect(calls.map((c) => c.args.options)).toEqual([
      { directory: false, multiple: false, filters: toml },
      { defaultPath: "candidates.toml", filters: toml },
    ]);
  });
});

describe("errors", () => {
  async function rejection(promise: Promise<unknown>): Promise<IpcError> {
    const reason: unknown = await promise.then(
      () => expect.unreachable("the call should fail"),
      (e: unknown) => e,
    );
    expect(reason).toBeInstanceOf(IpcError);
    return reason as IpcError;
  }

  it("maps an AppError to an IpcError with its code and message", async () => {
    mockBackend({
      get_persona: () => {
        throw { code: "not_found", message: "no persona nobody" };
      },
    });
    const err = await rejection(getPersona("nobody"));
    expect(err.code).toBe("not_found");
    expect(err.message).toBe("no persona nobody");
    expect(err.command).toBe("get_persona");
  });

  it("keeps invalid_input", async () => {
    mockBackend({
      search_catalog: () => Promise.reject({ code: "invalid_input", message: "limit must be…" }),
    });
    const err = await rejection(
      searchCatalog({ text: "", content_type: null, offset: 0, limit: 0 }),
    );
    expect(err.code).toBe("invalid_input");
  });

  it("keeps unavailable (e.g. the database is open in another window)", async () => {
    mockBackend({
      list_sessions: () => {
        throw { code: "unavailable", message: "the data folder is in use by another window" };
      },
    });
    const err = await rejection(listSessions());
    expect(err.code).toBe("unavailable");
    expect(err.command).toBe("list_sessions");
  });

  it("classifies a plain string rejection as internal", async () => {
    mockBackend({}); // no handler: rejects with a string, as Tauri does for unknown commands
    const err = await rejection(listPersonas());
    expect(err.code).toBe("internal");
    expect(err.message).toContain("list_personas");
  });

  it("says so when there is no Tauri backend at all", async () => {
    clearBackend();
    delete (window as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
    const err = await rejection(listPersonas());
    expect(err.code).toBe("internal");
    expect(err.message).toMatch(/outside the Screening Room app/);
  });

  it("classifies an object with an unknown code as internal", async () => {
    mockBackend({
      catalog_info: () => {
        throw { code: "teapot", message: "short and stout" };
      },
    });
    const err = await rejection(catalogInfo());
    expect(err.code).toBe("internal");
  });
});
