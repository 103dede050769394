// A minimal W3C WebDriver client over fetch for the e2e journeys: tauri-driver (which starts
// WebKitWebDriver) on free ports, sessions that launch the built app, element helpers, keys and
// screenshots. No npm dependencies.

import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdirSync, openSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const shots = resolve(process.env.SCREENING_E2E_SHOTS ?? ".e2e");

/** WebDriver key codes for the keys the journeys press. */
export const KEY = {
  enter: "\uE007",
  left: "\uE012",
  up: "\uE013",
  right: "\uE014",
  down: "\uE015",
  backspace: "\uE003",
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

/** Polls `probe` until it returns a truthy value or `ms` pass. */
export async function waitFor(what, probe, ms = 20000) {
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

/**
 * Starts tauri-driver with `env` added to the app's environment. It runs in its own process
 * group with its output in `.e2e/tauri-driver.log`, and `kill()` ends the whole group: driver,
 * WebKitWebDriver and any app window left over. (An app that outlived its driver while holding
 * the test's stdout open once kept `node --test` waiting forever.)
 */
export async function startDriver(env) {
  const [port, nativePort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  mkdirSync(shots, { recursive: true });
  const log = openSync(join(shots, "tauri-driver.log"), "a");
  const proc = spawn(
    "tauri-driver",
    ["--port", String(port), "--native-port", String(nativePort)],
    {
      stdio: ["ignore", log, log],
      detached: true,
      env: { ...process.env, ...env },
    },
  );
  await waitFor("tauri-driver", async () => (await fetch(`${base}/status`)).ok);
  const kill = () => {
    try {
      process.kill(-proc.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  return { base, kill };
}

/** A WebDriver session: the app `application` in a new window, with helpers. */
export async function openApp(driver, application) {
  const wd = async (method, path, body) => {
    const res = await fetch(driver.base + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value)}`);
    return json.value;
  };
  const created = await wd("POST", "/session", {
    capabilities: { alwaysMatch: { "tauri:options": { application } } },
  });
  const id = created.sessionId;
  const s = (path) => `/session/${id}${path}`;
  const app = {
    wd,
    s,
    /** Elements with `data-testid` = testid, optionally inside `within`. */
    findAll: async (testid, within) => {
      const path = within ? s(`/element/${within}/elements`) : s("/elements");
      const found = await wd("POST", path, {
        using: "css selector",
        value: `[data-testid="${testid}"]`,
      });
      return found.map((e) => e[ELEMENT]);
    },
    /** Elements matching a CSS selector. */
    css: async (selector, within) => {
      const path = within ? s(`/element/${within}/elements`) : s("/elements");
      const found = await wd("POST", path, { using: "css selector", value: selector });
      return found.map((e) => e[ELEMENT]);
    },
    text: (el) => wd("GET", s(`/element/${el}/text`)),
    attr: (el, name) => wd("GET", s(`/element/${el}/attribute/${name}`)),
    prop: (el, name) => wd("GET", s(`/element/${el}/property/${name}`)),
    click: (el) => wd("POST", s(`/element/${el}/click`), {}),
    type: (el, text) => wd("POST", s(`/element/${el}/value`), { text }),
    clear: (el) => wd("POST", s(`/element/${el}/clear`), {}),
    /** Presses and releases each key in turn, wherever the focus is. */
    keys: async (...keys) => {
      const actions = keys.flatMap((k) => [
        { type: "keyDown", value: k },
        { type: "keyUp", value: k },
      ]);
      await wd("POST", s("/actions"), { actions: [{ type: "key", id: "keyboard", actions }] });
      await wd("DELETE", s("/actions")).catch(() => {});
    },
    screenshot: async (name) => {
      mkdirSync(shots, { recursive: true });
      const png = await wd("GET", s("/screenshot"));
      writeFileSync(join(shots, `${name}.png`), Buffer.from(png, "base64"));
    },
    /** Ends the session, which closes the app. */
    close: () => wd("DELETE", `/session/${id}`).catch(() => {}),
  };
  return app;
}
