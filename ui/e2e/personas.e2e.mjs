// The personas and datasets journey in the real desktop window (tauri-driver + WebKitWebDriver
// under Xvfb), on a fresh data directory: create a persona from catalog titles (one time
// changed), duplicate it and delete the copy, import the small MovieLens fixture by typing its
// path and make a persona from one of its real users, switch back to the demo, export the
// personas to a typed path, restart, and find the persona still there.
//
//   SCREENING_APP=/path/to/screening-room node --test ui/e2e/personas.e2e.mjs
//
// Native file dialogs cannot be driven, so every path is typed into its input (the "Browse…"
// buttons fill the same inputs).

import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { KEY, openApp, sleep, startDriver, waitFor } from "./webdriver.mjs";

const application = process.env.SCREENING_APP;
const root = mkdtempSync(join(tmpdir(), "screening-personas-"));
const dataDir = join(root, "data");
const exportPath = join(root, "exported personas.json");
const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const ML_SMALL = join(repo, "crates/catalog/tests/fixtures/ml-small");
const BAD_RATING = join(repo, "crates/catalog/tests/fixtures/bad/bad_rating");
const NAME = "E2E weekend viewer";

let driver;
let app;

let startTheme;

before(async () => {
  assert.ok(application && existsSync(application), `SCREENING_APP must name the app binary`);
  assert.ok(existsSync(ML_SMALL), `the MovieLens fixture is at ${ML_SMALL}`);
  driver = await startDriver({ SCREENING_DATA_DIR: dataDir, SCREENING_REVIEWER: "e2e" });
  app = await openApp(driver, application);
  // Screenshots in the light theme first, whatever an earlier run left behind.
  startTheme = await theme("light");
});

after(async () => {
  if (app && startTheme) await theme(startTheme).catch(() => {});
  await app?.close();
  driver?.kill();
});

const one = async (testid) => waitFor(testid, async () => (await app.findAll(testid))[0]);

/**
 * The text content of `el`, spaces collapsed. (WebKitWebDriver's visible text leaves out
 * ellipsised titles, which are on screen.)
 */
const content = async (el) => (await app.prop(el, "textContent")).replace(/\s+/g, " ").trim();

/** The list card of the persona named exactly `name`, or null. */
async function personaCard(name) {
  for (const card of await app.findAll("persona-item")) {
    const [label] = await app.findAll("persona-item-name", card);
    if ((await content(label)) === name) return card;
  }
  return null;
}

/** Waits until the detail pane shows the persona `name`. */
const showing = (name) =>
  waitFor(`detail of ${name}`, async () => (await app.text(await one("persona-name"))) === name);

/** Types `text` into the search `testid` and waits for a result row with `title`. */
async function searchAndAdd(text, title) {
  const search = await one("editor-search");
  await app.clear(search);
  await app.type(search, text);
  const row = await waitFor(`result ${title}`, async () => {
    for (const r of await app.findAll("editor-result")) {
      if ((await content(r)).includes(title)) return r;
    }
    return null;
  });
  const [add] = await app.findAll("editor-add", row);
  await app.click(add);
}

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

const isSelected = (el) => app.wd("GET", app.s(`/element/${el}/selected`));

async function openDatasets() {
  const toggle = await one("datasets-toggle");
  if ((await app.attr(toggle, "aria-expanded")) !== "true") await app.click(toggle);
  return one("datasets-panel");
}

test("a new persona from two catalog titles, one time changed, is saved and listed", async () => {
  await one("persona-item");
  await app.click(await one("persona-new"));
  await app.type(await one("persona-name-input"), NAME);
  await app.type(await one("persona-tags-input"), "e2e, weekends");
  await searchAndAdd("Ferryman", "The Ferryman of Corsica");
  await searchAndAdd("Backroads", "Backroads of Tuscany");
  const rows = await waitFor("two rows", async () => {
    const found = await app.findAll("editor-row");
    return found.length === 2 ? found : null;
  });
  assert.equal(rows.length, 2);

  // Both were added "now"; one hour earlier for the second (newest first: the Ferryman).
  const times = await app.findAll("editor-time");
  const before = await Promise.all(times.map((t) => app.prop(t, "value")));
  await app.click(times[1]);
  await app.keys(KEY.down);
  const after = await waitFor("the changed time", async () => {
    const now = await Promise.all(
      (await app.findAll("editor-time")).map((t) => app.prop(t, "value")),
    );
    return now.join() !== before.join() && now.every(Boolean) ? now : null;
  });
  assert.notDeepEqual(after, before);
  await shot("20-editor");

  await app.click(await one("persona-save"));
  await showing(NAME);
  const card = await waitFor("the new card", () => personaCard(NAME));
  assert.match(await content(card), /2 plays/);
  assert.equal((await app.findAll("history-item")).length, 2);

  // Reopened, the editor shows the times as they were saved.
  await app.click(await one("persona-edit"));
  const reopened = await waitFor("editor rows", async () => {
    const found = await app.findAll("editor-time");
    return found.length === 2 ? Promise.all(found.map((t) => app.prop(t, "value"))) : null;
  });
  assert.deepEqual([...reopened].sort(), [...after].sort());
  await app.click(await one("persona-cancel"));
  await shot("21-saved");
});

test("duplicating it, then deleting the copy after confirming", async () => {
  await app.click(await waitFor("card", () => personaCard(NAME)));
  await showing(NAME);
  await app.click(await one("persona-duplicate"));
  await showing(`${NAME} (copy)`);
  // The detail can show the copy a moment before the list has reloaded.
  assert.ok(await waitFor("the copy is listed", () => personaCard(`${NAME} (copy)`)));

  await app.click(await one("persona-delete"));
  await app.click(await one("persona-delete-confirm"));
  await waitFor("the copy gone", async () => (await personaCard(`${NAME} (copy)`)) === null);
  assert.ok(await personaCard(NAME), "the original stays");
  assert.equal((await app.findAll("persona-detail")).length, 0, "nothing selected");
});

test("importing the MovieLens fixture by path, then a persona from its user 1", async () => {
  const demoCounts = await app.text(await one("dataset-summary"));
  await openDatasets();
  // A broken file first: its message (file, line, column) is shown as it is.
  await app.type(await one("import-path"), BAD_RATING);
  await app.click(await one("import-start"));
  const banner = await waitFor("the import error", async () => {
    const [form] = await app.findAll("dataset-import");
    const [err] = await app.findAll("app-error", form);
    return err ? app.text(err) : null;
  });
  // "…/bad_rating/ratings.csv:3: column `rating`: expected a rating between 0 and 5, …"
  assert.match(banner, /bad_rating\/ratings\.csv:3: column `rating`/, banner);
  await shot("30-import-error");

  const path = await one("import-path");
  await app.clear(path);
  await app.type(path, ML_SMALL);
  // Typing into a closed select picks the option that starts so (an option cannot be clicked).
  const format = await one("import-format");
  await app.type(format, "MovieLens");
  assert.equal(await app.prop(format, "value"), "movielens");
  assert.equal(await isSelected(await one("import-activate")), true, "use it now by default");
  await app.click(await one("import-start"));
  const report = await app.text(await one("import-report"));
  assert.match(report, /5 titles · 3 viewers · 6 events/, report);
  await shot("32-imported");

  await waitFor("header counts", async () =>
    /^5 titles · 3 viewers · 6 events$/.test(await app.text(await one("dataset-summary"))),
  );
  assert.equal(await content(await one("active-dataset")), "ml-small");
  await app.click(await one("datasets-toggle"));
  // The demo's personas are not this dataset's.
  await waitFor("no demo personas", async () => (await personaCard("Reality TV fan")) === null);

  await app.click(await one("persona-from-user"));
  await app.type(await one("user-search"), "1");
  const row = await waitFor("user 1", async () => {
    for (const r of await app.findAll("user-row")) {
      if ((await app.attr(r, "data-user-id")) === "1") return r;
    }
    return null;
  });
  const [pick] = await app.findAll("user-pick", row);
  await app.click(pick);
  await shot("33-from-user");
  await app.click(await one("from-user-create"));
  await showing("User 1");
  assert.match(await content(await waitFor("card", () => personaCard("User 1"))), /2 plays/);

  // Back to the demo: its counts and personas again.
  const panel = await openDatasets();
  let demoUse;
  for (const item of await app.findAll("dataset-item", panel)) {
    if ((await app.attr(item, "data-dataset-id")) === "demo") {
      [demoUse] = await app.findAll("dataset-use", item);
    }
  }
  assert.ok(demoUse, "the demo can be made active");
  await app.click(demoUse);
  await waitFor(
    "demo counts",
    async () => (await app.text(await one("dataset-summary"))) === demoCounts,
  );
  await shot("34-datasets-back-to-demo");
  await app.click(await one("datasets-toggle"));
  await waitFor("demo personas", () => personaCard(NAME));
  assert.equal(await personaCard("User 1"), null, "ml-small's persona is not listed on the demo");
});

test("exporting the personas to a typed path writes a file with the new persona", async () => {
  await app.click(await one("persona-export-open"));
  await app.type(await one("persona-export-path"), exportPath);
  await app.click(await one("persona-export-run"));
  const message = await app.text(await one("persona-export-result"));
  assert.match(message, /^Exported \d+ personas to /, message);
  assert.ok(message.endsWith(` to ${exportPath}`), message);
  assert.ok(existsSync(exportPath), "the file exists");
  const file = JSON.parse(readFileSync(exportPath, "utf8"));
  const ours = file.personas.find((p) => p.name === NAME);
  assert.ok(ours, `the file holds ${NAME}`);
  assert.equal(ours.history.length, 2);
  const [older, newer] = ours.history.map((h) => h.timestamp);
  assert.ok(older < newer, "oldest first, the changed one an hour earlier");
  assert.ok(Math.abs(newer - older - 3600) <= 60, `an hour apart: ${older}, ${newer}`);
  assert.equal(Number(message.match(/\d+/)[0]), file.personas.length);
  await shot("40-exported");
});

test("after a restart the persona is still there", async () => {
  await app.close();
  app = await openApp(driver, application);
  const card = await waitFor("the persona after restart", () => personaCard(NAME));
  await app.click(card);
  await showing(NAME);
  assert.equal((await app.findAll("history-item")).length, 2);
  assert.equal(await content(await one("active-dataset")), "Demo catalog");
  // The dark theme, for a look; set back afterwards (the choice outlives the data directory).
  const was = await theme("dark");
  await shot("41-persona-dark");
  await app.click(await one("persona-edit"));
  await one("persona-editor");
  await shot("42-editor-dark");
  await app.click(await one("persona-cancel"));
  await openDatasets();
  await shot("43-datasets-dark");
  await app.click(await one("datasets-toggle"));
  await theme(was);
});
