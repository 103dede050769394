// Cold start of the desktop app, measured in the real window (tauri-driver + WebKitWebDriver,
// under Xvfb): from launching the binary to the first interactive screen (the persona list and
// the catalog count shown, both filled over IPC), beside a reference in the same run: from launch
// to WebDriver's new session returning, i.e. the window up with the page loaded. Each run uses a
// fresh data directory, so the store is created and migrated every time. A benchmark, not a test.
//
//   SCREENING_APP=target/debug/screening-room xvfb-run -a node ui/e2e/coldstart.bench.mjs

import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { openApp, startDriver, waitFor } from "./webdriver.mjs";

const application = process.env.SCREENING_APP;
const RUNS = Number(process.env.RUNS ?? 7);

if (!application || !existsSync(application)) {
  console.error(`SCREENING_APP must name the built app binary, got ${application}`);
  process.exit(1);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const window_ = [];
const interactive = [];
for (let run = 0; run < RUNS; run++) {
  const dataDir = join(mkdtempSync(join(tmpdir(), "screening-cold-")), "data");
  const driver = await startDriver({ SCREENING_DATA_DIR: dataDir });
  const start = performance.now();
  const app = await openApp(driver, application);
  window_.push(performance.now() - start);
  await waitFor("the first screen", async () => {
    const personas = await app.findAll("persona-item");
    const [count] = await app.findAll("catalog-count");
    return personas.length >= 6 && count && (await app.text(count)).length > 0;
  });
  interactive.push(performance.now() - start);
  await app.close();
  driver.kill();
}
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`cold start over ${RUNS} runs (median, min):`);
console.log(
  `  window up, page loaded (reference)   ${fmt(median(window_))}  ${fmt(Math.min(...window_))}`,
);
console.log(
  `  first interactive screen             ${fmt(median(interactive))}  ${fmt(Math.min(...interactive))}`,
);
