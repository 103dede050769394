// The team journey in the real desktop window (tauri-driver + WebKitWebDriver under Xvfb) against
// a real report server (the CLI's `screening server`, on SQLite in a temporary folder): set the
// server up in Settings (a wrong token first), create, freeze and publish a blind session, judge
// one persona and sync: the team's report counts one reviewer. Then the server stops: the next
// persona's judgements wait (Offline, pending), the team's report says the server cannot be
// reached; the server comes back on the same port, "Sync now" sends them, and the team's report
// has both personas. Last, another reviewer publishes a session from "another device" (through
// the HTTP API): Team sessions lists it "by" them, Join opens it marked "Team · by <owner>", one
// persona judged and synced, and its team report counts the judgements.
//
//   SCREENING_APP=/path/to/screening-room SCREENING_CLI=/path/to/screening \
//     node --test ui/e2e/sync.e2e.mjs

import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { openApp, sleep, startDriver, waitFor } from "./webdriver.mjs";

const application = process.env.SCREENING_APP;
const cli = process.env.SCREENING_CLI;
const root = mkdtempSync(join(tmpdir(), "screening-sync-"));
const dataDir = join(root, "data");
const db = `sqlite://${join(root, "server.db")}`;
const PERSONAS = ["reality-fan", "documentary-viewer"];
const CANDIDATES = ["builtin-popularity", "builtin-ease"];

let driver;
let app;
/** The running report server: its process and address. */
let server = null;
/** The port the server first listened on (it comes back on the same one). */
let firstPort;
let token;

/**
 * Starts the report server on `listen` and resolves once it says where it listens (the first
 * line it prints). Rejects with what it printed on stderr when it exits first.
 */
function startServer(listen = "127.0.0.1:0") {
  return new Promise((resolve, reject) => {
    const proc = spawn(cli, ["server", "--db", db, "--listen", listen], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    proc.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`the server did not start on ${listen} in 20 s: ${stderr}`));
    }, 20000);
    const lines = createInterface({ input: proc.stdout });
    lines.once("line", (line) => {
      clearTimeout(timer);
      const url = line.match(/^listening on (http:\/\/\S+)$/)?.[1];
      if (!url) {
        proc.kill("SIGKILL");
        reject(new Error(`unexpected first line from the server: ${line}`));
      } else {
        // Keep reading, so the server never blocks on a full pipe.
        lines.on("line", () => {});
        resolve({ proc, url, port: new URL(url).port });
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening: ${stderr}`));
    });
  });
}

/** Stops the server and waits until it is gone. */
async function stopServer() {
  if (!server) return;
  const { proc } = server;
  server = null;
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGTERM");
  await Promise.race([gone, sleep(5000)]);
  if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
}

/** Adds a user to the server's database; resolves to the token it printed (alone, last line). */
function addUser(name, role) {
  const out = execFileSync(
    cli,
    ["server", "add-user", "--db", db, "--name", name, "--role", role],
    { encoding: "utf8" },
  );
  const made = out.trim().split("\n").at(-1).trim();
  assert.match(made, /^\S{16,}$/, `the token alone on the last line: ${out}`);
  return made;
}

/** A request to the running server's API as the holder of `bearer`; resolves to the response. */
function api(path, bearer, { method = "GET", body } = {}) {
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      "X-Screening-Protocol": "1",
      Authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The JSON of a successful API response; fails the test with the server's answer otherwise. */
async function json(response, expected = 200) {
  const text = await response.text();
  assert.equal(response.status, expected, `${response.url}: ${text}`);
  return JSON.parse(text);
}

before(async () => {
  assert.ok(application && existsSync(application), `SCREENING_APP must name the app binary`);
  assert.ok(cli && existsSync(cli), `SCREENING_CLI must name the CLI binary`);
  token = addUser("e2e", "approver");
  server = await startServer();
  firstPort = server.port;
  driver = await startDriver({ SCREENING_DATA_DIR: dataDir, SCREENING_REVIEWER: "e2e" });
  app = await openApp(driver, application);
});

after(async () => {
  await app?.close();
  driver?.kill();
  await stopServer();
});

const one = async (testid) => {
  try {
    return await waitFor(testid, async () => (await app.findAll(testid))[0]);
  } catch (e) {
    await app.screenshot(`debug-${testid}`);
    throw e;
  }
};
const isSelected = (el) => app.wd("GET", app.s(`/element/${el}/selected`));

/** The header's sync status, as shown. */
const syncLabel = async () => (await app.text(await one("sync-status"))).trim();

/** Waits until the header's sync status reads `label` (a string or a pattern). */
const syncShows = (label, ms = 20000) =>
  waitFor(
    `sync status ${label}`,
    async () => {
      const shown = await syncLabel();
      return (typeof label === "string" ? shown === label : label.test(shown)) ? shown : null;
    },
    ms,
  );

/** Presses "Sync now" (once it can be pressed). */
async function syncNow() {
  const button = await one("sync-now");
  await waitFor("Sync now enabled", async () => (await app.prop(button, "disabled")) === false);
  await app.click(button);
}

/** Ticks exactly the checkboxes `testid` whose value is in `wanted`. */
async function pick(testid, wanted) {
  const boxes = await waitFor(`${testid} boxes`, async () => {
    const found = await app.findAll(testid);
    return found.length > 0 ? found : null;
  });
  for (const box of boxes) {
    const value = await app.attr(box, "value");
    if ((await isSelected(box)) !== wanted.includes(value)) await app.click(box);
  }
}

/** Waits until the header says the last judgement is on disk. */
const saved = () =>
  waitFor(
    "saved",
    async () => (await app.attr(await one("save-state"), "data-status")) === "saved",
  );

/**
 * Judges the persona the board opens on: a rating for list A on the first criterion, then a
 * preference for list A (two judgements); back to the session after.
 */
async function judgeOnePersona() {
  await app.click(await one("session-start"));
  const persona = await waitFor("the board", async () => {
    const [board] = await app.findAll("board");
    if (!board) return null;
    const busy = await app.css('[aria-busy="true"]', board);
    const ratings = await app.findAll("rating-button", board);
    return busy.length === 0 && ratings.length > 0 ? app.text(await one("board-persona")) : null;
  });
  await app.keys("4");
  await saved();
  await app.keys("a");
  await saved();
  await app.click(await one("board-close"));
  await one("session-detail");
  return persona;
}

/** The number of judgements the status says wait, from its tooltip. */
async function waiting() {
  const title = await app.attr(await one("sync-status"), "title");
  const n = title.match(/(\d+) judgements? wait/)?.[1];
  return n === undefined ? 0 : Number(n);
}

/**
 * Switches the open report to `scope` ("device" or "team") once this device's report shows (as
 * it does first), and waits until the toggle says so.
 */
async function showScope(scope) {
  await one("report-facts");
  const button = await one(`report-scope-${scope}`);
  await app.click(button);
  await waitFor(
    `the ${scope} report`,
    async () => (await app.attr(button, "aria-pressed")) === "true",
    5000,
  );
}

/** The team's report facts once it shows ("1 reviewer · 1 persona · …"). */
async function teamFacts() {
  await one("team-decisions");
  return app.text(await one("report-facts"));
}

test("Settings: a wrong token is refused; the server and the right token are saved", async () => {
  await syncShows("Sync off");
  await app.screenshot("90-sync-off");
  await app.click(await one("settings-open"));
  await app.type(await one("sync-url"), server.url);
  await app.type(await one("sync-token"), "not-a-token");
  await app.click(await one("sync-save"));
  const refused = await app.text(await one("app-error"));
  assert.match(refused, /refused the token/, refused);
  await app.screenshot("90a-sync-settings-refused");
  assert.equal(await syncLabel(), "Sync off");

  const field = await one("sync-token");
  await app.clear(field);
  await app.type(field, token);
  await app.click(await one("sync-save"));
  const result = await app.text(await one("sync-save-result"));
  assert.match(result, /Saved: Synced/, result);
  assert.ok(result.includes(server.url), result);
  assert.equal(await app.prop(await one("sync-token"), "value"), "", "the token field empties");
  assert.match(await app.text(await one("sync-token-saved")), /a token is saved/);
  await syncShows("Synced");
  await app.screenshot("91-sync-settings-saved");
  await app.click(await one("settings-open"));
  await waitFor("settings closed", async () => (await app.findAll("settings-panel")).length === 0);
});

test("a frozen session is published to the team", async () => {
  await app.click(await one("nav-review"));
  await app.click(await one("session-new"));
  await app.type(await one("session-name"), "Team release EASE vs Popularity");
  await pick("session-persona", PERSONAS);
  await pick("session-candidate", CANDIDATES);
  const incumbent = await one("session-incumbent");
  await app.type(incumbent, "Popularity");
  assert.equal(await app.prop(incumbent, "value"), "builtin-popularity");
  await app.click(await one("session-create"));
  await app.click(await one("session-freeze"));
  await one("session-start");
  assert.equal((await app.findAll("session-published")).length, 0);

  await app.click(await one("publish-session"));
  const result = await app.text(await one("publish-result"));
  assert.match(result, /^Published 4 lists; 0 judgements sent$/, result);
  assert.equal(await app.text(await one("session-published")), "Published");
  await syncShows("Synced");
  await app.screenshot("92-sync-published");
});

test("one persona judged, Sync now: synced, and the team's report counts 1 reviewer", async () => {
  await judgeOnePersona();
  // Pending until a sync: the poll shows it (unless the background sync was quicker).
  await syncShows(/^(Pending 2|Synced)$/);
  await syncNow();
  await syncShows("Synced");
  assert.equal(await waiting(), 0);
  await app.screenshot("93-sync-synced");

  await app.click(await one("report-open"));
  // Blind, one persona left: the report asks first (the team's names the candidates too).
  await app.click(await one("report-show-anyway"));
  await one("report-gate");
  await showScope("team");
  const facts = await teamFacts();
  assert.match(facts, /\b1 reviewer\b/, facts);
  assert.match(facts, /\b1 persona\b/, facts);
  assert.match(facts, /\b2 judgements\b/, facts);
  assert.match(facts, /from the report server/, facts);
  assert.match(await app.text(await one("team-decisions")), /No decision yet/);
  assert.match(await app.text(await one("team-digest")), /^[0-9a-f]{12}$/);
  assert.equal((await app.findAll("gate-edit")).length, 0, "the team's thresholds are published");
  await app.screenshot("94-sync-team-report");
  await showScope("device");
  await one("export-html");
  await app.click(await one("report-close"));
});

test("the server stops: the next persona's judgements wait, offline", async () => {
  await stopServer();
  await judgeOnePersona();
  await syncNow();
  await syncShows("Offline");
  assert.ok(
    (await waiting()) >= 2,
    `pending: ${await app.attr(await one("sync-status"), "title")}`,
  );
  await app.click(await one("sync-status"));
  const details = await app.text(await one("sync-details"));
  assert.match(details, /cannot be reached/, details);
  assert.match(await app.text(await one("sync-message")), /cannot reach/);
  // The team's sessions cannot be listed either: one line says why.
  const line = await one("team-sessions-error");
  assert.equal(await app.attr(line, "data-code"), "unavailable");
  assert.match(await app.attr(line, "title"), /cannot reach/);
  await app.screenshot("95-sync-offline");
  await app.click(await one("sync-status"));

  await app.click(await one("report-open"));
  await showScope("team");
  const error = await one("team-error");
  assert.equal(await app.attr(error, "data-code"), "unavailable");
  assert.equal(
    await app.text(await one("team-error-title")),
    "The report server cannot be reached",
  );
  await app.screenshot("96-sync-team-offline");
});

test("the server is back on the same port: Sync now sends them; the team's report has both personas", async () => {
  const port = firstPort;
  // The port was just freed; give the system a moment if it still holds it.
  server = await waitFor(
    `the server back on port ${port}`,
    () => startServer(`127.0.0.1:${port}`).catch(() => null),
    30000,
  );
  assert.equal(server.port, port);
  await syncNow();
  await syncShows("Synced");
  assert.equal(await waiting(), 0);
  await app.screenshot("97-sync-back");

  await app.click(await one("team-retry"));
  const facts = await teamFacts();
  assert.match(facts, /\b2 personas\b/, facts);
  assert.match(facts, /\b1 reviewer\b/, facts);
  assert.match(facts, /\b4 judgements\b/, facts);
  await app.screenshot("98-sync-team-two-personas");
  // The other theme, for a look; toggled back so the next run starts in the system's theme.
  const toggle = await one("theme-toggle");
  await app.click(toggle);
  await app.screenshot(`99-sync-team-${await app.attr(toggle, "data-theme")}`);
  await app.click(toggle);
});

test("another reviewer's session: Team sessions lists it; joined, judged and synced, its team report counts the judgement", async () => {
  await app.click(await one("report-close"));
  await one("team-sessions");

  // Maria publishes a session from her device: the same lists (so the same dataset and
  // personas), under her own ids and name, straight through the API.
  const maria = addUser("maria", "reviewer");
  const listed = await json(await api("/v1/sessions", token));
  const ours = listed.find((s) => s.name === "Team release EASE vs Popularity");
  assert.ok(ours, `the app's session is on the server: ${JSON.stringify(listed)}`);
  const { session } = await json(await api(`/v1/sessions/${ours.id}`, token));
  const theirs = {
    ...session,
    id: randomUUID(),
    name: "Maria's second look",
    snapshots: session.snapshots.map((s) => ({ ...s, id: randomUUID() })),
  };
  await json(await api("/v1/sessions", maria, { method: "POST", body: theirs }), 201);

  // Team sessions: hers is listed by her, with a Join button; ours is on this device.
  await app.click(await one("team-sessions-refresh"));
  const rowOf = (id) =>
    waitFor(`team session ${id} listed`, async () => {
      for (const row of await app.findAll("team-session")) {
        if ((await app.attr(row, "data-session-id")) === id) return row;
      }
      return null;
    });
  const row = await rowOf(theirs.id);
  const [owner] = await app.findAll("team-session-owner", row);
  assert.equal(await app.text(owner), "by maria");
  const [counts] = await app.findAll("team-session-counts", row);
  assert.match(await app.text(counts), /^2 personas · 2 candidates · 0 judgements$/);
  assert.equal(await app.attr(row, "data-on-device"), "false");
  const ourRow = await rowOf(ours.id);
  assert.equal(await app.attr(ourRow, "data-on-device"), "true");
  const [here] = await app.findAll("team-session-here", ourRow);
  assert.equal(await app.text(here), "On this device");
  await app.screenshot("9a-team-sessions");

  // Join: the session comes onto this device and opens, marked as hers.
  const [join] = await app.findAll("team-session-join", row);
  assert.equal(await app.text(join), "Join");
  await app.click(join);
  await waitFor(
    "the joined session open",
    async () => (await app.text(await one("session-title"))) === theirs.name,
  );
  assert.equal(await app.text(await one("session-team")), "Team · by maria");
  assert.equal((await app.findAll("publish-session")).length, 0, "a joined session is published");
  assert.equal(await app.attr(await rowOf(theirs.id), "data-on-device"), "true");
  await app.screenshot("9b-team-session-joined");

  // One persona judged here goes to the server with the next sync.
  await judgeOnePersona();
  await syncNow();
  await syncShows("Synced");
  assert.equal(await waiting(), 0);

  await app.click(await one("report-open"));
  await app.click(await one("report-show-anyway"));
  await one("report-gate");
  await showScope("team");
  const facts = await teamFacts();
  const judgements = Number(facts.match(/\b(\d+) judgements?\b/)?.[1] ?? 0);
  assert.ok(judgements >= 1, facts);
  assert.match(await app.text(await one("team-fetched-at")), /\d{4}, \d\d:\d\d$/);
  await app.screenshot("9c-team-joined-report");
});
