// End-to-end journey in the real desktop window: tauri-driver + WebKitWebDriver drive the built
// app (needs a display: `make e2e` runs it under Xvfb). Plain W3C WebDriver over fetch, so the
// test has no npm dependencies of its own.
//
//   SCREENING_APP=/path/to/screening-room node --test ui/e2e/journey.e2e.mjs
//
// The WebDriver client is ./webdriver.mjs, shared with review.e2e.mjs.

import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { openApp, startDriver, waitFor } from "./webdriver.mjs";

const application = process.env.SCREENING_APP;
const dataDir = join(mkdtempSync(join(tmpdir(), "screening-e2e-")), "data");

let driver;
let app;
let findAll, text, click, screenshot;

before(async () => {
  assert.ok(
    application && existsSync(application),
    `SCREENING_APP must name the built app binary, got ${application}`,
  );
  // The app inherits its environment from tauri-driver → WebKitWebDriver.
  driver = await startDriver({ SCREENING_DATA_DIR: dataDir });
  app = await openApp(driver, application);
  ({ findAll, text, click, screenshot } = app);
});

after(async () => {
  await app?.close();
  driver?.kill();
});

test("the persona list shows the sample personas", async () => {
  const names = await waitFor("persona list", async () => {
    const items = await findAll("persona-item");
    const texts = await Promise.all(items.map(text));
    return texts.length >= 6 ? texts : null;
  });
  assert.ok(
    names.some((t) => t.includes("Reality TV fan")),
    `personas: ${names}`,
  );
  assert.ok(
    names.some((t) => t.includes("New viewer")),
    `personas: ${names}`,
  );
  assert.ok(existsSync(dataDir), "the app created SCREENING_DATA_DIR");
  await screenshot("01-start");
});

test("opening Reality TV fan shows its watch history", async () => {
  const items = await findAll("persona-item");
  let target;
  for (const el of items) if ((await text(el)).includes("Reality TV fan")) target = el;
  assert.ok(target, "Reality TV fan is listed");
  await click(target);
  const heading = await waitFor("persona detail", async () => {
    const [h] = await findAll("persona-name");
    const t = h && (await text(h));
    return t === "Reality TV fan" ? t : null;
  });
  assert.equal(heading, "Reality TV fan");
  const history = await waitFor("history rows", async () => {
    const rows = await findAll("history-item");
    return rows.length > 0 ? rows : null;
  });
  assert.ok(history.length >= 5, `history rows: ${history.length}`);
  const first = await text(history[0]);
  assert.ok(first.length > 0, "history row shows a title");
  await screenshot("02-reality-fan");
});

test("the catalog search narrows the results", async () => {
  const countText = async () => {
    const [c] = await findAll("catalog-count");
    return c ? text(c) : "";
  };
  const before = await waitFor("catalog count", countText);
  const [input] = await findAll("catalog-search");
  await app.type(input, "crime");
  const after = await waitFor("narrowed count", async () => {
    const t = await countText();
    return t && t !== before ? t : null;
  });
  const n = (t) => Number(t.replace(/[^0-9]/g, ""));
  assert.ok(n(after) > 0 && n(after) < n(before), `before ${before}, after ${after}`);
  const cards = await findAll("catalog-item");
  assert.ok(cards.length > 0, "cards shown for the search");
  await screenshot("03-search");
});
