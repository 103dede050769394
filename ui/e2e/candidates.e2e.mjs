// The candidates journey in the real desktop window (tauri-driver + WebKitWebDriver under Xvfb),
// on a fresh data directory, against the reference model server (`screening serve-model`) as a
// real HTTP candidate: add an HTTP candidate for its item-kNN endpoint and test the connection
// (titles come back), add a second one pointing at a closed port (the test says "connection
// refused"; a header holding a token in clear is refused first, as the backend words it),
// compare both with EASE in a session (freezing shows its progress), find 10 items in the kNN
// column and the error in the dead one, archive the dead one (gone from the new-session form),
// and export the candidates to a TOML file. Last, a stub endpoint in this process answers badly
// (an unknown id, a repeat, too many items; a 503 with an HTML page) to see the board's warnings,
// an unknown item and a long HTTP error.
//
//   SCREENING_APP=/path/to/screening-room SCREENING_CLI=/path/to/screening \
//     node --test ui/e2e/candidates.e2e.mjs
//
// Native file dialogs cannot be driven, so the export path is typed into its input.

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { openApp, sleep, startDriver, waitFor } from "./webdriver.mjs";

const application = process.env.SCREENING_APP;
const cli = process.env.SCREENING_CLI;
const root = mkdtempSync(join(tmpdir(), "screening-candidates-"));
const dataDir = join(root, "data");
const exportPath = join(root, "exported candidates.toml");
const KNN = "kNN endpoint";
const DEAD = "Dead endpoint";
/** How long the stub's quirky endpoint takes to answer. */
const SLOW_MS = 1500;

let server;
let stub;
let knnUrl;
let deadUrl;
let driver;
let app;
let startTheme;
/** Candidate ids by name, read from the Candidates screen once saved. */
const ids = {};

/** Starts `screening serve-model` on a free port; resolves to its base URL. */
async function startModelServer() {
  const proc = spawn(
    cli,
    ["serve-model", "--listen", "127.0.0.1:0", "--models", "item-knn", "--no-cache"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: proc.stdout });
  const first = await Promise.race([
    new Promise((resolve) => lines.once("line", resolve)),
    new Promise((_, reject) => proc.once("exit", (code) => reject(new Error(`exit ${code}`)))),
    sleep(60000).then(() => {
      throw new Error("serve-model printed nothing in 60 s");
    }),
  ]);
  lines.on("line", () => {}); // keep draining
  const match = /^listening on (http:\/\/\S+)$/.exec(first);
  assert.ok(match, `serve-model's first line: ${first}`);
  return { proc, base: match[1] };
}

/**
 * A stub HTTP candidate: `POST /quirky` answers `items` (catalog ids) with an unknown id, a
 * repeat, and more than k, after {@link SLOW_MS}; `POST /broken` answers 503 with an HTML page.
 */
function startStub(items) {
  const page =
    "<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head><body>" +
    "<center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx/1.25.3" +
    "</center><p>The upstream recommender did not answer its health check; retry later.</p>" +
    "</body></html>";
  const s = createHttpServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.url === "/broken") {
        res.writeHead(503, { "content-type": "text/html" }).end(page);
        return;
      }
      const ids = [items[0], "zz-unknown-42", items[1], items[0], ...items.slice(2, 6)];
      const answer = { items: ids.map((item_id, i) => ({ item_id, score: 1 - i / 10 })) };
      // Slow, so freezing is seen half-way.
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
      }, SLOW_MS);
    });
  });
  return new Promise((resolve) => {
    s.listen(0, "127.0.0.1", () =>
      resolve({ server: s, base: `http://127.0.0.1:${s.address().port}` }),
    );
  });
}

/** A port nothing listens on: bound, then closed again. */
function closedPort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  assert.ok(application && existsSync(application), "SCREENING_APP must name the app binary");
  assert.ok(cli && existsSync(cli), "SCREENING_CLI must name the screening binary");
  server = await startModelServer();
  knnUrl = `${server.base}/recommend/item-knn`;
  deadUrl = `http://127.0.0.1:${await closedPort()}/recommend`;
  driver = await startDriver({ SCREENING_DATA_DIR: dataDir, SCREENING_REVIEWER: "e2e" });
  app = await openApp(driver, application);
  // Screenshots in the light theme first, whatever an earlier run left behind.
  startTheme = await theme("light");
});

after(async () => {
  if (app && startTheme) await theme(startTheme).catch(() => {});
  await app?.close();
  driver?.kill();
  server?.proc.kill();
  stub?.close();
});

const one = async (testid) => waitFor(testid, async () => (await app.findAll(testid))[0]);

/** The text content of `el`, spaces collapsed (ellipsised text included). */
const content = async (el) => (await app.prop(el, "textContent")).replace(/\s+/g, " ").trim();

const isSelected = (el) => app.wd("GET", app.s(`/element/${el}/selected`));

/** A screenshot once the window has painted the last change. */
async function shot(name) {
  await sleep(300);
  await app.screenshot(name);
}

/** Sets the theme (the toggle's `data-theme` says the current one); returns the previous. */
async function theme(wanted) {
  const toggle = await one("theme-toggle");
  const was = await app.attr(toggle, "data-theme");
  if (was !== wanted) await app.click(toggle);
  return was;
}

/** The Candidates screen's row of the candidate named exactly `name`, or null. */
async function candidateRow(name) {
  for (const row of await app.findAll("candidate-item")) {
    const [label] = await app.findAll("candidate-item-name", row);
    if ((await content(label)) === name) return row;
  }
  return null;
}

/** Replaces the text of input `testid`. */
async function fill(testid, text) {
  const input = await one(testid);
  await app.clear(input);
  await app.type(input, text);
}

/** Opens the form for a new HTTP candidate and fills it. */
async function newHttpCandidate(name, url) {
  await app.click(await one("candidate-add"));
  await one("candidate-editor");
  for (const radio of await app.findAll("candidate-kind")) {
    if ((await app.attr(radio, "value")) === "http") await app.click(radio);
  }
  await fill("candidate-name", name);
  await fill("candidate-url", url);
}

/** Runs "Test connection" (on a form without a result yet) and waits for its result. */
async function testConnection() {
  await app.click(await one("candidate-test"));
  return waitFor("the test result", async () => {
    const [result] = await app.findAll("candidate-test-result");
    if (!result) return null;
    const busy = await app.attr(await one("candidate-test"), "aria-busy");
    return busy === "true" ? null : result;
  });
}

/** Saves the open form and returns the saved candidate's id. */
async function save(name) {
  await app.click(await one("candidate-save"));
  await one("candidate-saved");
  const row = await waitFor(`the row of ${name}`, () => candidateRow(name));
  return app.attr(row, "data-candidate-id");
}

/** Ticks exactly the checkboxes `testid` whose value is in `wanted`. */
async function pick(testid, wanted) {
  const boxes = await waitFor(`${testid} boxes`, async () => {
    const found = await app.findAll(testid);
    return found.length > 0 ? found : null;
  });
  for (const box of boxes) {
    const on = await isSelected(box);
    if (on !== wanted.includes(await app.attr(box, "value"))) await app.click(box);
  }
}

/** The board column labelled `label` (the candidate's name: the session is not blind). */
async function column(label) {
  for (const c of await app.findAll("board-column")) {
    if ((await app.attr(c, "data-label")) === label) return c;
  }
  return null;
}

test("an HTTP candidate for the kNN endpoint answers the connection test with titles", async () => {
  await app.click(await one("nav-candidates"));
  const rows = await waitFor("the six built-in candidates", async () => {
    const found = await app.findAll("candidate-item");
    return found.length >= 6 ? found : null;
  });
  assert.equal(rows.length, 6, "a fresh data directory has the built-in candidates only");
  assert.equal((await app.findAll("candidate-builtin")).length, 6);
  const ease = await candidateRow("EASE");
  assert.match(await content(ease), /Built-in\s*ease/);
  await shot("50-candidates");

  await newHttpCandidate(KNN, knnUrl);
  const result = await testConnection();
  assert.equal(await app.attr(result, "data-ok"), "true", await content(result));
  const titles = await app.findAll("candidate-test-title", result);
  assert.equal(titles.length, 5, "the first five titles");
  for (const t of titles) assert.ok((await content(t)).length > 0);
  assert.match(await content(await one("candidate-test-outcome")), /10 items/);
  await shot("51-candidate-test-ok");

  ids[KNN] = await save(KNN);
  assert.ok(ids[KNN], "the saved candidate has an id");
  assert.match(await content(await candidateRow(KNN)), new RegExp(`HTTP\\s*${knnUrl}`));
});

test("an HTTP candidate on a closed port: a token in clear is refused, the test says why", async () => {
  await newHttpCandidate(DEAD, deadUrl);
  await app.click(await one("candidate-header-add"));
  await fill("candidate-header-name", "Authorization");
  await fill("candidate-header-value", "Bearer abc123");
  // The form warns beside the row; the backend refuses it on save, naming the field.
  assert.match(await content(await one("candidate-header-warning")), /reference/);
  await app.click(await one("candidate-save"));
  const refusal = await content(await one("candidate-save-error"));
  assert.match(
    refusal,
    /field "headers": Authorization holds a credential in clear; write it as a reference/,
    refusal,
  );
  assert.match(refusal, /invalid_input/);
  await shot("52-candidate-refused");

  await app.click(await one("candidate-header-remove"));
  const result = await testConnection();
  assert.equal(await app.attr(result, "data-ok"), "false");
  const error = await content(await one("candidate-test-error"));
  assert.match(error, /connection refused/, error);
  await shot("53-candidate-test-refused");

  ids[DEAD] = await save(DEAD);
  assert.equal((await app.findAll("candidate-save-error")).length, 0, "the refusal is gone");
});

test("a session of EASE and both HTTP candidates: freezing shows progress, the board the error", async (t) => {
  await app.click(await one("nav-review"));
  await app.click(await one("session-new"));
  await fill("session-name", "HTTP candidates");
  await pick("session-persona", ["reality-fan"]);
  await pick("session-candidate", ["builtin-ease", ids[KNN], ids[DEAD]]);
  const blind = await one("session-blind");
  if (await isSelected(blind)) await app.click(blind);
  await app.click(await one("session-create"));
  await app.click(await one("session-freeze"));

  // Every progress line seen until the lists are frozen: "2 / 3 lists — last: EASE".
  const seen = [];
  await waitFor(
    "frozen",
    async () => {
      for (const el of await app.findAll("freeze-progress-text")) {
        const text = await content(el).catch(() => null);
        if (text && seen.at(-1) !== text) seen.push(text);
      }
      return (await app.findAll("session-start")).length > 0;
    },
    60000,
  );
  t.diagnostic(`progress seen: ${seen.join(" | ")}`);
  assert.ok(seen.length > 0, "the progress showed while freezing");
  for (const line of seen) assert.match(line, /^\d \/ 3 lists( — last: .+)?$/, line);
  const done = seen.map((l) => Number(l.split(" ")[0]));
  assert.deepEqual(
    done,
    [...done].sort((a, b) => a - b),
    `progress never steps back: ${seen}`,
  );
  const report = await content(await one("freeze-report"));
  assert.match(report, /3 lists/, report);
  assert.match(report, /1 failed/, report);
  await shot("60-frozen");

  await app.click(await one("session-start"));
  await waitFor("three columns", async () => (await app.findAll("board-column")).length === 3);
  const knn = await column(KNN);
  assert.ok(knn, "a column for the kNN endpoint");
  assert.equal((await app.findAll("board-item", knn)).length, 10);
  assert.equal((await app.findAll("column-error", knn)).length, 0);
  const dead = await column(DEAD);
  const [error] = await app.findAll("column-error", dead);
  assert.ok(error, "the dead candidate's column says why it has no list");
  assert.match(await content(error), /connection refused/);
  assert.equal((await app.findAll("board-item", dead)).length, 0);
  assert.equal((await app.findAll("board-item", await column("EASE"))).length, 10);
  await shot("61-board-error");
  await app.click(await one("board-close"));
});

test("archiving the dead candidate takes it out of the new-session form", async () => {
  await app.click(await one("nav-candidates"));
  const row = await waitFor("the dead row", () => candidateRow(DEAD));
  const [archive] = await app.findAll("candidate-archive", row);
  await app.click(archive);
  await waitFor("the dead row gone", async () => (await candidateRow(DEAD)) === null);

  // Still there, marked, with "Show archived".
  await app.click(await one("candidate-show-archived"));
  const archived = await waitFor("the archived row", () => candidateRow(DEAD));
  assert.equal(await app.attr(archived, "data-archived"), "true");
  await app.click(await one("candidate-show-archived"));
  await waitFor("hidden again", async () => (await candidateRow(DEAD)) === null);

  await app.click(await one("nav-review"));
  await app.click(await one("session-new"));
  await waitFor("the kNN candidate offered", async () => {
    const values = await Promise.all(
      (await app.findAll("session-candidate")).map((b) => app.attr(b, "value")),
    );
    return values.includes(ids[KNN]) ? values : null;
  });
  const values = await Promise.all(
    (await app.findAll("session-candidate")).map((b) => app.attr(b, "value")),
  );
  assert.ok(!values.includes(ids[DEAD]), "the archived candidate is not offered");
  assert.ok(values.includes("builtin-ease"));
});

test("exporting the candidates writes a TOML file with the kNN endpoint", async () => {
  await app.click(await one("nav-candidates"));
  await app.click(await one("candidate-export-open"));
  await fill("candidate-export-path", exportPath);
  await app.click(await one("candidate-export-run"));
  const message = await content(await one("candidate-export-result"));
  assert.equal(message, `Exported 7 candidates to ${exportPath}`);
  const text = readFileSync(exportPath, "utf8");
  assert.match(text, /\[\[candidate\]\]/);
  assert.ok(text.includes(knnUrl), "the file holds the kNN URL");
  assert.ok(text.includes(`name = "${KNN}"`));
  assert.ok(!text.includes(DEAD), "archived candidates are not exported");
  await shot("62-exported");
});

test("the screens in the dark theme", async () => {
  const was = await theme("dark");
  await app.click(await waitFor("kNN row", () => candidateRow(KNN)));
  await one("candidate-editor");
  await testConnection();
  await shot("70-candidate-test-dark");
  await app.click(await one("candidate-cancel"));
  await shot("71-candidates-dark");

  await app.click(await one("nav-review"));
  await app.click(await waitFor("the session", async () => (await app.findAll("session-item"))[0]));
  await app.click(await one("session-start"));
  await waitFor("three columns", async () => (await app.findAll("board-column")).length === 3);
  await shot("72-board-error-dark");
  await app.click(await one("board-close"));
  await theme(was);
});

test("an endpoint answering badly: warnings and an unknown item in its column; a 503 page apart", async (t) => {
  // Real catalog ids, from the reference server.
  const res = await fetch(knnUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      persona: { id: "x", name: "x" },
      user_id: null,
      history: [],
      k: 10,
      context: {},
    }),
  });
  const items = (await res.json()).items.map((i) => i.item_id);
  const started = await startStub(items);
  stub = started.server;

  await app.click(await one("nav-candidates"));
  await newHttpCandidate("Quirky endpoint", `${started.base}/quirky`);
  ids.quirky = await save("Quirky endpoint");
  await newHttpCandidate("Broken endpoint", `${started.base}/broken`);
  ids.broken = await save("Broken endpoint");

  await app.click(await one("nav-review"));
  await app.click(await one("session-new"));
  await fill("session-name", "Endpoints answering badly");
  await pick("session-persona", ["reality-fan"]);
  await pick("session-candidate", ["builtin-ease", ids.quirky, ids.broken]);
  await fill("session-k", "5");
  const blind = await one("session-blind");
  if (await isSelected(blind)) await app.click(blind);
  await app.click(await one("session-create"));
  await app.click(await one("session-freeze"));
  // The slow endpoint keeps freezing half-way: the progress says so, naming the last candidate.
  const halfway = await waitFor("progress half-way", async () => {
    const [el] = await app.findAll("freeze-progress-text");
    const text = el ? await content(el) : "";
    return /^[12] \/ 3 lists — last: (EASE|Broken endpoint)$/.test(text) ? text : null;
  });
  t.diagnostic(`half-way: ${halfway}`);
  const [bar] = await app.findAll("freeze-progress-bar");
  assert.equal(await app.attr(bar, "aria-valuemax"), "3");
  await shot("64-freeze-progress");
  await one("session-start");
  await app.click(await one("session-start"));
  await waitFor("three columns", async () => (await app.findAll("board-column")).length === 3);

  const quirky = await column("Quirky endpoint");
  const [toggle] = await app.findAll("column-warnings-toggle", quirky);
  assert.ok(toggle, "the quirky column has warnings");
  const lines = (await app.attr(toggle, "title")).split("\n");
  assert.equal(lines.length, 3, lines.join(" | "));
  assert.match(await content(toggle), /^3 warnings/);
  assert.ok(lines.some((l) => /not in the catalog, shown as unknown: "zz-unknown-42"/.test(l)));
  assert.ok(lines.some((l) => /repeated item id\(s\) removed/.test(l)));
  assert.ok(lines.some((l) => /items returned for k = 5; the list is cut to 5/.test(l)));
  const tiles = await app.findAll("board-item", quirky);
  assert.equal(tiles.length, 5);
  const unknown = tiles[1];
  assert.equal(await app.attr(unknown, "data-known"), "false");
  assert.equal(await content((await app.findAll("item-unknown", unknown))[0]), "Unknown item");
  assert.equal(await content((await app.findAll("item-unknown-id", unknown))[0]), "zz-unknown-42");

  const broken = await column("Broken endpoint");
  const [message] = await app.findAll("column-error-message", broken);
  assert.equal(await content(message), "HTTP 503 Service Unavailable");
  const [body] = await app.findAll("column-error-body", broken);
  assert.match(await content(body), /^<!DOCTYPE html>.*503 Service Temporarily Unavailable/);

  await app.click(toggle);
  await shot("63-board-warnings");
  const was = await theme("dark");
  await shot("73-board-warnings-dark");
  await theme(was);
  await app.click(await one("board-close"));
});
