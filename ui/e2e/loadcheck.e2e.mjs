// The load check journey in the real desktop window (tauri-driver + WebKitWebDriver under Xvfb):
// create a session of two built-in candidates (they run in-process), the challenger named, and
// freeze it; open its Load check, run 10 requests/s for 3 s against the challenger (live
// progress, then the result and its history row); run a longer one and Stop it (a stopped,
// partial result); then read the report, whose release gate has the load row.
//
//   SCREENING_APP=/path/to/screening-room node --test ui/e2e/loadcheck.e2e.mjs

import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { openApp, startDriver, waitFor } from "./webdriver.mjs";

const application = process.env.SCREENING_APP;
const root = mkdtempSync(join(tmpdir(), "screening-loadcheck-"));
const dataDir = join(root, "data");
const PERSONAS = ["reality-fan", "documentary-viewer"];
const CANDIDATES = ["builtin-popularity", "builtin-ease"];

let driver;
let app;

before(async () => {
  assert.ok(application && existsSync(application), `SCREENING_APP must name the app binary`);
  driver = await startDriver({ SCREENING_DATA_DIR: dataDir, SCREENING_REVIEWER: "e2e" });
  app = await openApp(driver, application);
});

after(async () => {
  await app?.close();
  driver?.kill();
});

const one = async (testid) => waitFor(testid, async () => (await app.findAll(testid))[0]);
const isSelected = (el) => app.wd("GET", app.s(`/element/${el}/selected`));
const textOf = async (testid) => (await app.text(await one(testid))).replace(/\s+/g, " ").trim();

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

/** Replaces the number in field `testid`. */
async function fill(testid, value) {
  const field = await one(testid);
  await app.clear(field);
  await app.type(field, String(value));
}

/** A screenshot named after the theme showing (`…-light`, `…-dark`). */
async function shot(name) {
  const theme = await app.attr(await one("theme-toggle"), "data-theme");
  await app.screenshot(`${name}-${theme}`);
}

/** Scrolls the element `testid` into view. */
const scrollTo = async (testid) =>
  app.wd("POST", app.s("/execute/sync"), {
    script: `document.querySelector('[data-testid="${testid}"]').scrollIntoView()`,
    args: [],
  });

/** The history's rows, newest first, as their cells' text. */
async function historyRows() {
  const rows = await app.findAll("loadcheck-history-row");
  const out = [];
  for (const row of rows) {
    const cells = await app.css("td", row);
    out.push(await Promise.all(cells.map(async (c) => (await app.text(c)).trim())));
  }
  return out;
}

test("a session of two built-in candidates, EASE the challenger, frozen", async () => {
  await app.click(await one("nav-review"));
  await app.click(await one("session-new"));
  await app.type(await one("session-name"), "Release EASE vs Popularity");
  await pick("session-persona", PERSONAS);
  await pick("session-candidate", CANDIDATES);
  // Typing into a closed select picks the option that starts so (an option cannot be clicked).
  await app.type(await one("session-incumbent"), "Popularity");
  const challenger = await one("session-challenger");
  await app.type(challenger, "EASE");
  assert.equal(await app.prop(challenger, "value"), "builtin-ease");
  const blind = await one("session-blind");
  if (await isSelected(blind)) await app.click(blind);
  await app.click(await one("session-create"));
  await app.click(await one("session-freeze"));
  await one("session-start");
  await one("loadcheck-open");
  await shot("90-loadcheck-session");
});

test("the Load check opens on the challenger with the defaults", async () => {
  await app.click(await one("loadcheck-open"));
  await one("loadcheck-view");
  assert.equal(await app.prop(await one("loadcheck-candidate"), "value"), "builtin-ease");
  assert.equal(await app.prop(await one("loadcheck-rate"), "value"), "20");
  assert.equal(await app.prop(await one("loadcheck-duration"), "value"), "30");
  assert.equal(await app.prop(await one("loadcheck-ramp"), "value"), "0");
  assert.equal(await app.prop(await one("loadcheck-concurrency"), "value"), "16");
  assert.equal(await app.prop(await one("loadcheck-max-p99"), "value"), "500");
  assert.match(await textOf("loadcheck-history-empty"), /No load checks yet/);
  assert.equal((await app.findAll("loadcheck-cost-warning")).length, 0, "built-in: no cost");
  await shot("91-loadcheck-form");
});

test("10 requests/s for 3 s: live progress, then PASSED and a history row", async () => {
  await fill("loadcheck-rate", 10);
  await fill("loadcheck-duration", 3);
  await app.click(await one("loadcheck-run"));
  const live = await waitFor(
    "a second of progress",
    async () => {
      const [el] = await app.findAll("loadcheck-live-elapsed");
      if (!el) return null;
      const t = await app.text(el);
      return /^[1-3] s of 3 s$/.test(t.trim()) ? t : null;
    },
    10000,
  );
  assert.match(live, /s of 3 s/);
  assert.match(await textOf("loadcheck-live-rps"), /req\/s of 10 req\/s$/);
  await waitFor(
    "the live latency chart",
    async () => (await app.css("svg", await one("loadcheck-latency-chart"))).length > 0,
  );
  await shot("92-loadcheck-running");

  const result = await one("loadcheck-result");
  assert.equal(await app.attr(result, "data-stopped"), "false");
  const verdict = await textOf("loadcheck-verdict");
  const note = await textOf("loadcheck-note");
  assert.match(verdict, /PASSED/, `${verdict}: ${note}`);
  assert.match(await textOf("loadcheck-achieved"), /req\/s of 10 req\/s$/);
  assert.match(await textOf("loadcheck-requests"), /^\d+$/);
  assert.equal(await textOf("loadcheck-errors"), "0");
  assert.match(await textOf("loadcheck-latency-p99"), /m?s$/);
  await waitFor(
    "the result's charts",
    async () => (await app.css("svg", await one("loadcheck-rate-chart"))).length > 0,
  );

  const rows = await waitFor("one history row", async () => {
    const r = await historyRows();
    return r.length === 1 ? r : null;
  });
  const [, candidate, rate, , , errors, gate] = rows[0];
  assert.match(candidate, /^EASE/);
  assert.match(candidate, /in the gate/);
  assert.equal(rate, "10 req/s");
  assert.equal(errors, "0");
  assert.match(gate, /Passed/i);
  await shot("93-loadcheck-result");
  await app.click(await one("theme-toggle"));
  await shot("93a-loadcheck-result");
  await app.click(await one("theme-toggle"));
});

test("a longer run, stopped: a partial result marked stopped, and a second row", async () => {
  await fill("loadcheck-rate", 20);
  await fill("loadcheck-duration", 60);
  await app.click(await one("loadcheck-run"));
  await waitFor(
    "three seconds of progress",
    async () => {
      const [el] = await app.findAll("loadcheck-live-elapsed");
      return el && /^([3-9]|\d\d) s of 60 s$/.test((await app.text(el)).trim());
    },
    15000,
  );
  await shot("94-loadcheck-running-long");
  await app.click(await one("theme-toggle"));
  await shot("94a-loadcheck-running-long");
  await app.click(await one("theme-toggle"));
  await app.click(await one("loadcheck-stop"));

  const result = await one("loadcheck-result");
  assert.equal(await app.attr(result, "data-stopped"), "true");
  assert.equal(await app.attr(result, "data-passed"), "false");
  assert.match(await textOf("loadcheck-verdict"), /FAILED/);
  assert.match(await textOf("loadcheck-stopped"), /^stopped$/i);
  assert.match(await textOf("loadcheck-note"), /stopped before its end/);
  assert.match(await textOf("loadcheck-partial"), /^Stopped after [\d.]+ s of 60 s/);
  const rows = await waitFor("two history rows", async () => {
    const r = await historyRows();
    return r.length === 2 ? r : null;
  });
  assert.equal(rows[0][2], "20 req/s");
  assert.match(rows[0][6], /Failed/i);
  assert.match(rows[0][6], /stopped/);
  assert.match(rows[0][1], /in the gate/, "the newest check of the challenger is the gate's");
  assert.doesNotMatch(rows[1][1], /in the gate/);
  await shot("95-loadcheck-stopped");
  await scrollTo("loadcheck-history");
  await shot("95a-loadcheck-history");
  await app.click(await one("theme-toggle"));
  await shot("95b-loadcheck-history");
  await scrollTo("loadcheck-form");
  await app.click(await one("theme-toggle"));
});

test("the report's release gate has the load row (the stopped check: failed)", async () => {
  await app.click(await one("loadcheck-close"));
  await app.click(await one("report-open"));
  const row = await one("gate-check-load");
  assert.equal(await app.attr(row, "data-passed"), "false");
  const label = (await app.text(row)).replace(/\s+/g, " ");
  assert.match(label, /Challenger sustains 20 requests\/s with p99 ≤ 500 ms \(load check\)/);
  assert.match(label, /the run was stopped before its end/);
  const [threshold] = await app.findAll("gate-check-threshold", row);
  assert.equal(await app.text(threshold), "≤ 500 ms");
  const [value] = await app.findAll("gate-check-value", row);
  assert.match(await app.text(value), /^[\d.]+ m?s$/);
  await shot("96-loadcheck-report-gate");
});
