// End-to-end journey in the real desktop window: tauri-driver + WebKitWebDriver drive the built
// app (needs a display: `make e2e` runs it under Xvfb). Plain W3C WebDriver over fetch, so the
// test has no npm dependencies of its own.
//
//   SCREENING_APP=/path/to/screening-room node --test ui/e2e/journey.e2e.mjs

import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, existsSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

const app = process.env.SCREENING_APP;
let base;
const shots = resolve(process.env.SCREENING_E2E_SHOTS ?? ".e2e");
const dataDir = join(mkdtempSync(join(tmpdir(), "screening-e2e-")), "data");
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

let driver;
let session;

async function wd(method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value)}`);
  return json.value;
}

/** A port nothing listens on right now, so a leftover driver cannot break the run. */
function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value or `ms` pass. */
async function waitFor(what, probe, ms = 20000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      last = await probe();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}; last: ${last}`);
}

const s = (path) => `/session/${session}${path}`;
const findAll = async (testid) =>
  (
    await wd("POST", s("/elements"), { using: "css selector", value: `[data-testid="${testid}"]` })
  ).map((e) => e[ELEMENT]);
const text = async (el) => wd("GET", s(`/element/${el}/text`));
const click = async (el) => wd("POST", s(`/element/${el}/click`), {});

async function screenshot(name) {
  mkdirSync(shots, { recursive: true });
  const png = await wd("GET", s("/screenshot"));
  writeFileSync(join(shots, `${name}.png`), Buffer.from(png, "base64"));
}

before(async () => {
  assert.ok(app && existsSync(app), `SCREENING_APP must name the built app binary, got ${app}`);
  // The app inherits its environment from tauri-driver → WebKitWebDriver.
  const [port, nativePort] = [await freePort(), await freePort()];
  base = `http://127.0.0.1:${port}`;
  driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, SCREENING_DATA_DIR: dataDir },
  });
  await waitFor("tauri-driver", async () => (await fetch(`${base}/status`)).ok);
  const created = await wd("POST", "/session", {
    capabilities: {
      alwaysMatch: {
        "tauri:options": { application: app },
      },
    },
  });
  session = created.sessionId;
});

after(async () => {
  if (session) await wd("DELETE", `/session/${session}`).catch(() => {});
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
  await wd("POST", s(`/element/${input}/value`), { text: "crime" });
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
