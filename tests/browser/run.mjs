#!/usr/bin/env node
// run.mjs - the browser tests: a fresh demo database, 'tillit serve' on
// 127.0.0.1 and a free port, Debian's chromium driven by playwright-core
// through the steps of flow.mjs. Prints TAP; exits 1 when a test fails.
//
//   TILLIT=build/check/tillit node tests/browser/run.mjs [STEP...]
//
// Environment: TILLIT (the binary, required), CHROMIUM (default
// /usr/bin/chromium), SCREENSHOT_DIR (default build/screenshots in the
// source tree), BROWSER_TEST_SECONDS (the whole run's budget, default 240).
// BROWSER_TEST_DB: an empty database to use (a path, or a postgres:// URL
// of its owner) instead of a file of the run's own; BROWSER_TEST_SERVE_DB:
// what 'tillit serve' connects as, when not the owner (PostgreSQL's app
// role, bound by row-level security). TILLIT_VAULT is passed on.
// STEP names (see flow.mjs) run only those steps, after logging in.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tap, cli, launch, newContext, publishShots, startServer } from './lib.mjs';
import { steps } from './flow.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const tap = new Tap();

let playwright;
try {
  playwright = await import('playwright-core');
} catch {
  console.log('1..0 # SKIP playwright-core is not installed (scripts/install-deps runs npm ci)');
  process.exit(0);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) {
  console.log(`1..0 # SKIP ${executablePath} is missing (scripts/install-deps installs chromium)`);
  process.exit(0);
}
if (!process.env.TILLIT) {
  console.error('run.mjs: set TILLIT to the tillit binary');
  process.exit(2);
}

const budget = parseInt(process.env.BROWSER_TEST_SECONDS || '240', 10);
const scratch = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'tillit-browser.'));
const ctx = {
  tap,
  tillit: path.resolve(process.env.TILLIT),
  scratch,
  db: process.env.BROWSER_TEST_DB || path.join(scratch, 't.db'),
  serveDb: process.env.BROWSER_TEST_SERVE_DB || null,
  org: 'norrsken',
  shots: null, // where this run writes its screenshots (see below)
  shotsTaken: [],
  consoleErrors: [],
  admin: { email: 'admin@norrsken.example', password: 'correct horse battery staple' },
  viewer: { email: 'viewer@norrsken.example', password: 'a viewer of the program' },
  env: { ...process.env, TILLIT_ACTOR: 'browser-test' },
};
delete ctx.env.TILLIT_ORG;
delete ctx.env.TILLIT_NOW; // the server keeps real time: sessions, evidence dates

const only = process.argv.slice(2);
const shotsDir = path.resolve(process.env.SCREENSHOT_DIR || path.join(root, 'build', 'screenshots'));
let server = null;
let browser = null;

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  browser = null;
  let stopped = null;
  if (server) stopped = await server.stop();
  server = null;
  fs.rmSync(scratch, { recursive: true, force: true });
  if (ctx.shots && ctx.shots !== shotsDir) fs.rmSync(ctx.shots, { recursive: true, force: true });
  return stopped;
}

// Nothing outlives the run: the watchdog ends it, the server stops by itself
// (--max-seconds) in any case.
const watchdog = setTimeout(async () => {
  console.log(`Bail out! the browser tests took longer than ${budget} s`);
  await cleanup();
  process.exit(1);
}, budget * 1000);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await cleanup();
    process.exit(1);
  });
}

try {
  cli(ctx, ['init']);
  cli(ctx, ['demo']);
  // the demo's exports as datasets, for the checks (when this tillit has them)
  let hasData = true;
  try {
    cli(ctx, ['help', 'data']);
  } catch {
    hasData = false;
  }
  if (hasData) cli(ctx, ['demo', 'data', '--dir', path.join(scratch, 'exports'), '--load']);
  cli(ctx, ['user', 'add', ctx.admin.email, '--role', 'admin', '--org', ctx.org, '--name', 'Ada Admin', '--password-stdin'], `${ctx.admin.password}\n`);
  cli(ctx, ['user', 'add', ctx.viewer.email, '--role', 'viewer', '--org', ctx.org, '--name', 'Vic Viewer', '--password-stdin'], `${ctx.viewer.password}\n`);
} catch (e) {
  console.log('Bail out! setting up the demo database failed');
  tap.diag(`${e.message}\n${e.stderr || ''}`);
  await cleanup();
  process.exit(1);
}

try {
  // A full run writes its screenshots beside the directory and swaps the
  // set in at the end, so that runs side by side (ctest in several build
  // directories) never leave a mix; a run of some steps adds to the set.
  if (only.length === 0) {
    fs.mkdirSync(path.dirname(shotsDir), { recursive: true });
    ctx.shots = fs.mkdtempSync(`${shotsDir}.new-`);
  } else {
    ctx.shots = shotsDir;
    fs.mkdirSync(shotsDir, { recursive: true });
  }
  server = await startServer(ctx, budget + 30);
  ctx.url = server.url;
  browser = await launch(playwright.chromium, executablePath);
  ctx.browser = browser;
  tap.diag(`server ${ctx.url}, chromium ${browser.version()}, screenshots in ${shotsDir}`);
  ({ context: ctx.context, page: ctx.page } = await newContext(ctx, { viewport: { width: 1280, height: 800 } }));

  for (const step of steps) {
    if (only.length && step.name !== 'login' && !only.includes(step.name)) continue;
    try {
      await step.run(ctx);
    } catch (e) {
      tap.ok(false, `step '${step.name}' ran to its end`, `${e.message.split('\n').slice(0, 12).join('\n')}\nat ${ctx.page.url()}`);
      await ctx.page.screenshot({ path: path.join(ctx.shots, `failed-${step.name}.png`), fullPage: true }).catch(() => {});
    }
  }
  tap.ok(ctx.consoleErrors.length === 0, 'no errors in the browser console (scripts, CSP)', ctx.consoleErrors.join('\n'));
  if (ctx.shots !== shotsDir) publishShots(ctx.shots, shotsDir);
  tap.diag(`${ctx.shotsTaken.length} screenshots in ${shotsDir}`);
} catch (e) {
  tap.ok(false, 'the browser and the server started', e.stack || e.message);
}

clearTimeout(watchdog);
const stopped = await cleanup();
if (stopped) {
  tap.ok(stopped.code === 0, 'the server stops cleanly on SIGTERM', `exit ${stopped.code} ${stopped.signal || ''}\n${stopped.stderr}`);
  // --quiet leaves errors only: none are expected, nor sanitizer reports.
  tap.ok(!/ERROR|Sanitizer|runtime error/.test(stopped.stderr), 'the server logged no errors', stopped.stderr.slice(0, 2000));
}
process.exit(tap.done() ? 0 : 1);
