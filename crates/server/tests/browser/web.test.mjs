// The report server's web page in headless Chromium, against the real `screening server` binary
// on a fresh SQLite file: sign in with a token, the session list, the team report with its gate
// and charts, an export, an approver's decision, and what a reviewer sees.
//
// Needs the CLI built (`cargo build -p screening-cli`) and Chromium (`apt-get install chromium`).
// SCREENING_CLI names the binary (default: $CARGO_TARGET_DIR/debug/screening, else
// target/debug/screening); CHROMIUM the browser (default /usr/bin/chromium). Screenshots go to
// .e2e/web-*.png at the top of the repository (or $SCREENSHOTS).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../..');
const cli =
  process.env.SCREENING_CLI ||
  join(process.env.CARGO_TARGET_DIR || join(root, 'target'), 'debug', 'screening');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const shots = process.env.SCREENSHOTS || join(root, '.e2e');

const SESSION = 'web-e2e';
const PERSONAS = ['p1', 'p2', 'p3', 'p4'];
const CANDIDATES = ['Popularity', 'EASE', 'ItemKNN'];
const CRITERIA = ['overall', 'relevance'];

let dir;
let server;
let base;
let browser;
const tokens = {};

/** Runs the CLI; its stdout. */
function screening(...args) {
  return execFileSync(cli, args, { encoding: 'utf8' });
}

/** Starts `screening server` on a free port; resolves with its base URL. */
function startServer(db) {
  return new Promise((resolveUrl, reject) => {
    server = spawn(cli, ['server', '--db', db, '--listen', '127.0.0.1:0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no "listening on" line: ${out}${err}`)), 30_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    server.stderr.on('data', (chunk) => {
      err += chunk;
    });
    server.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}): ${out}${err}`));
    });
  });
}

/** A call to the API as `who`. */
async function api(who, method, path, body, extra = {}) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: {
      'X-Screening-Protocol': '1',
      Authorization: `Bearer ${tokens[who]}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...extra,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${path} as ${who}: ${r.status} ${text}`);
  return JSON.parse(text);
}

/** The published session: four personas, three candidates, one list each. */
function publishedSession() {
  return {
    id: SESSION,
    name: 'Autumn homepage refresh',
    k: 3,
    blind: true,
    criteria: CRITERIA,
    incumbent: 'Popularity',
    challenger: 'EASE',
    personas: PERSONAS.map((id, i) => ({ id, name: `Persona ${i + 1}` })),
    candidates: CANDIDATES.map((name) => ({ name })),
    snapshots: PERSONAS.flatMap((p) =>
      CANDIDATES.map((c) => ({
        id: `${SESSION}-${p}-${c}`,
        persona_id: p,
        candidate: c,
        items: [1, 2, 3].map((n) => ({ item_id: `i${n}`, title: `Film ${n}`, score: 1 / n, reason: null })),
        fetched_at: 1_700_000_000_000,
        latency_ms: 4,
        error: null,
      })),
    ),
    gate: null,
  };
}

/** One reviewer's judgements: both criteria rated for every list, one preference per persona
 *  (EASE first but for one), one flag on ItemKNN. */
function judgements(who, r) {
  const events = [];
  const add = (e) => events.push({ ...e, op_id: `${who}-${events.length}`, session_id: SESSION, created_at: 1_700_000_100_000 + events.length, device_seq: events.length + 1 });
  PERSONAS.forEach((p, i) => {
    const score = { EASE: i === 0 ? 5 : 4, Popularity: 3 + (i % 2), ItemKNN: 2 };
    for (const c of CANDIDATES) {
      for (const criterion of CRITERIA) {
        add({ persona_id: p, snapshot_id: `${SESSION}-${p}-${c}`, candidate: c, kind: 'rating', criterion, value: score[c] });
      }
    }
    const shown = [...CANDIDATES];
    for (let k = 0; k < (i + r) % 3; k++) shown.push(shown.shift());
    const ranking = i === 3 && r === 0 ? [['Popularity'], ['EASE'], ['ItemKNN']] : [['EASE'], ['Popularity'], ['ItemKNN']];
    add({ persona_id: p, kind: 'preference', shown, ranking });
  });
  add({ persona_id: 'p2', snapshot_id: `${SESSION}-p2-ItemKNN`, candidate: 'ItemKNN', kind: 'flag', item_id: 'i2', flag: 'stale' });
  return { device_id: `device-${who}`, events };
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `web-${name}.png`), fullPage: true });
}

async function signIn(page, token) {
  await page.goto(base);
  await page.locator('input[name="token"]').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Published sessions' }).waitFor();
}

before(async () => {
  assert.ok(existsSync(cli), `no ${cli}: build it with cargo build -p screening-cli (or set SCREENING_CLI)`);
  assert.ok(existsSync(browserPath), `no ${browserPath}: apt-get install chromium (or set CHROMIUM)`);
  mkdirSync(shots, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'screening-web-'));
  const db = `sqlite://${join(dir, 'server.db')}`;
  for (const [name, role] of [['ann', 'reviewer'], ['bob', 'reviewer'], ['cat', 'reviewer'], ['pat', 'approver']]) {
    const lines = screening('server', 'add-user', '--db', db, '--name', name, '--role', role).trim().split('\n');
    tokens[name] = lines[lines.length - 1].trim();
  }
  base = await startServer(db);
  await api('ann', 'POST', '/v1/sessions', publishedSession());
  for (const [r, who] of ['ann', 'bob', 'cat'].entries()) {
    const res = await api(who, 'POST', '/v1/sync/push', judgements(who, r), { 'Idempotency-Key': `batch-${who}` });
    assert.equal(res.accepted, 4 * (3 * 2 + 1) + 1);
  }
  browser = await chromium.launch({ executablePath: browserPath, headless: true, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('an approver signs in, reads the report and approves it', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  // A wrong token is refused on the page.
  await page.goto(base);
  await shot(page, 'login');
  await page.locator('input[name="token"]').fill('not-a-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /token is not valid/);
  await shot(page, 'login-error');
  assert.equal((await context.cookies()).length, 0);

  await signIn(page, tokens.pat);
  const [cookie] = await context.cookies();
  assert.equal(cookie.name, 'screening_token');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie), '', 'scripts cannot read the token');
  const row = page.locator('table.sessions tbody tr', { hasText: 'Autumn homepage refresh' });
  await row.waitFor();
  const cells = await row.locator('td').allInnerTexts();
  assert.equal(cells[1], 'ann');
  assert.equal(cells[3], '4');
  assert.equal(cells[4], 'Popularity, EASE, ItemKNN');
  assert.equal(cells[5], String(3 * 29));
  assert.match(cells[6], /none yet/);
  await shot(page, 'sessions');

  await row.getByRole('link', { name: 'Autumn homepage refresh' }).click();
  await page.getByRole('heading', { name: 'Release gate' }).waitFor();
  const banner = page.locator('#gate .banner');
  assert.ok(await banner.isVisible());
  assert.match(await banner.innerText(), /^(PASSED|FAILED)$/);
  const charts = page.locator('svg.chart');
  assert.ok((await charts.count()) >= 4, 'means per criterion, agreement, strengths');
  for (const kind of ['means', 'agreement', 'strengths']) {
    const chart = page.locator(`svg.chart.${kind}`).first();
    assert.ok(await chart.isVisible(), `${kind} chart visible`);
    const box = await chart.boundingBox();
    assert.ok(box.width > 300 && box.height > 50, `${kind} chart has a size: ${JSON.stringify(box)}`);
  }
  const team = await api('pat', 'GET', `/v1/sessions/${SESSION}/report`);
  assert.equal(await page.locator('#session code.digest').innerText(), team.digest);
  assert.equal(await banner.innerText(), team.report.gate.passed ? 'PASSED' : 'FAILED');
  await shot(page, 'report');

  // An export downloads as a file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'HTML', exact: true }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `${SESSION}-report.html`);
  const exported = readFileSync(await download.path(), 'utf8');
  assert.match(exported, /^<!DOCTYPE html>/);
  assert.ok(exported.includes('<svg class="chart means"'));

  // Approve with a note.
  await page.locator('textarea[name="note"]').fill('Ship it: <EASE> wins on every persona & criterion.');
  await page.getByRole('button', { name: 'Approve' }).click();
  await page.waitForURL(/#decisions$/);
  const decision = page.locator('table.decisions tbody tr').first();
  await decision.waitFor();
  const d = await decision.locator('td').allInnerTexts();
  assert.match(d[0], /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
  assert.equal(d[1], 'pat');
  assert.equal(d[2], 'approved');
  assert.equal(d[3], 'Ship it: <EASE> wins on every persona & criterion.');
  assert.match(d[4], /this report/);
  assert.match(await page.locator('#session .latest').innerText(), /Latest decision: approved by pat/);
  await page.locator('#decisions').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'web-decided.png') });

  const [listed] = await api('pat', 'GET', '/v1/sessions');
  assert.equal(listed.decisions.length, 1);
  assert.equal(listed.decisions[0].decision, 'approve');
  assert.equal(listed.decisions[0].author, 'pat');
  assert.equal(listed.decisions[0].report_digest, team.digest);

  // Signing out forgets the cookie.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('input[name="token"]').waitFor();
  assert.equal((await context.cookies()).length, 0);
  await context.close();
});

test('a reviewer reads the report but gets no decision form', { timeout: 60_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, tokens.bob);
  await page.goto(`${base}/sessions/${SESSION}`);
  await page.getByRole('heading', { name: 'Release gate' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
  assert.match(await page.locator('#decisions').innerText(), /Only approvers record decisions/);
  assert.match(await page.locator('#decisions').innerText(), /approved/, 'the approver’s decision shows');
  await page.locator('#decisions').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'web-reviewer.png') });
  await context.close();
});
