// The review journey in the real desktop window (tauri-driver + WebKitWebDriver under Xvfb):
// create a blind session with two personas and three built-in candidates, freeze it, judge with
// the keyboard, reveal, restart the app on the same data directory, and find every judgement.
//
//   SCREENING_APP=/path/to/screening-room node --test ui/e2e/review.e2e.mjs

import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { KEY, openApp, startDriver, waitFor } from "./webdriver.mjs";

const application = process.env.SCREENING_APP;
const dataDir = join(mkdtempSync(join(tmpdir(), "screening-review-")), "data");
// Ticked in the new-session form; the session orders them as the persona list does (by name),
// so the board opens on the Documentary viewer.
const PERSONAS = ["reality-fan", "documentary-viewer"];
const CANDIDATES = ["builtin-popularity", "builtin-item-knn", "builtin-ease"];

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

/** Ticks exactly the checkboxes `testid` whose value is in `wanted`. */
async function pick(testid, wanted) {
  const boxes = await waitFor(`${testid} boxes`, async () => {
    const found = await app.findAll(testid);
    return found.length > 0 ? found : null;
  });
  for (const box of boxes) {
    const value = await app.attr(box, "value");
    const on = await app.wd("GET", app.s(`/element/${box}/selected`));
    if (on !== wanted.includes(value)) await app.click(box);
  }
}

/** Waits until the header says the last judgement is on disk. */
const saved = () =>
  waitFor(
    "saved",
    async () => (await app.attr(await one("save-state"), "data-status")) === "saved",
  );

/** The score shown as current in column `c` (0-based) for the first criterion, or null. */
async function scoreIn(c) {
  const columns = await app.findAll("board-column");
  const [rating] = await app.findAll("rating", columns[c]);
  for (const b of await app.findAll("rating-button", rating)) {
    if ((await app.attr(b, "aria-pressed")) === "true")
      return Number(await app.attr(b, "data-score"));
  }
  return null;
}

async function openBoard() {
  await app.click(await one("nav-review"));
  const item = await one("session-item");
  await app.click(item);
  await app.click(await one("session-start"));
  return waitFor("three columns", async () => {
    const cols = await app.findAll("board-column");
    return cols.length === 3 ? cols : null;
  });
}

test("a blind session with two personas and three built-in candidates is created and frozen", async () => {
  await app.click(await one("nav-review"));
  await app.click(await one("session-new"));
  await app.type(await one("session-name"), "Release v3 vs v2");
  await pick("session-persona", PERSONAS);
  await pick("session-candidate", CANDIDATES);
  const blind = await one("session-blind");
  assert.equal(await app.wd("GET", app.s(`/element/${blind}/selected`)), true, "blind by default");
  await app.screenshot("10-new-session");
  await app.click(await one("session-create"));
  await app.click(await one("session-freeze"));
  await one("session-start");
  const report = await app.text(await one("freeze-report"));
  assert.match(report, /6/, `freeze report: ${report}`);
  await app.screenshot("11-frozen");
});

test("judging blind with the keyboard, then revealing the names", async () => {
  await app.click(await one("session-start"));
  const columns = await waitFor("three columns", async () => {
    const cols = await app.findAll("board-column");
    return cols.length === 3 ? cols : null;
  });
  const labels = await Promise.all(columns.map((c) => app.attr(c, "data-label")));
  assert.deepEqual(labels, ["A", "B", "C"]);
  assert.equal((await app.findAll("column-candidate")).length, 0, "names hidden while blind");
  assert.match(await app.text(await one("board-persona")), /Documentary viewer/);

  await app.keys("4");
  await saved();
  await app.keys("]", "5");
  await saved();
  assert.equal(await scoreIn(0), 4);
  assert.equal(await scoreIn(1), 5);
  await app.keys("b", "a");
  await saved();
  assert.match(await app.text(await one("preference-text")), /B\s*>\s*A\s*>\s*C/);
  await app.screenshot("12-board-blind");

  await app.keys(KEY.enter);
  const names = await waitFor("revealed names", async () => {
    const found = await app.findAll("column-candidate");
    const texts = await Promise.all(found.map((el) => app.prop(el, "textContent")));
    return texts.length === 3 && texts.every(Boolean) ? texts : null;
  });
  assert.deepEqual([...names].sort(), ["EASE", "Item-kNN", "Popularity"]);
  await app.screenshot("13-board-revealed");

  await app.keys(KEY.right);
  await waitFor("second persona", async () =>
    /Reality TV fan/.test(await app.text(await one("board-persona"))),
  );
  await app.keys("3");
  await saved();
  assert.equal(await scoreIn(0), 3);
});

test("after a restart every judgement is still there", async () => {
  await app.close();
  app = await openApp(driver, application);
  await openBoard();
  // "Continue judging" opens the first persona without a preference: the second one.
  assert.match(await app.text(await one("board-persona")), /Reality TV fan/);
  await waitFor("its rating", async () => (await scoreIn(0)) === 3);
  await app.keys(KEY.left);
  await waitFor("first persona", async () =>
    /Documentary viewer/.test(await app.text(await one("board-persona"))),
  );
  await waitFor("its ratings", async () => (await scoreIn(0)) === 4 && (await scoreIn(1)) === 5);
  assert.match(await app.text(await one("preference-text")), /B\s*>\s*A\s*>\s*C/);
  assert.equal((await app.findAll("column-candidate")).length, 3, "the reveal was recorded");
  await app.screenshot("14-after-restart");
  // The dark theme, for a look; toggled back so the next run starts in the system's theme.
  await app.click(await one("theme-toggle"));
  await app.screenshot("15-board-dark");
  await app.click(await one("theme-toggle"));
});
