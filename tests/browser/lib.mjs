// lib.mjs - the pieces the browser tests share: TAP output, the tillit CLI,
// a server of the run's own (127.0.0.1, a free port, --max-seconds), the
// browser (Debian's chromium driven by playwright-core), page checks
// (accessibility, overflow, contrast) and feature discovery.
//
// No test here knows more about a page than a user would: pages are found
// through links and routes the server answers, fields through their labels,
// buttons through their names.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// --- TAP ------------------------------------------------------------------

export class Tap {
  constructor() {
    this.n = 0;
    this.failed = 0;
    this.skipped = 0;
  }
  ok(cond, desc, diag) {
    this.n++;
    if (cond) {
      console.log(`ok ${this.n} - ${desc}`);
    } else {
      this.failed++;
      console.log(`not ok ${this.n} - ${desc}`);
      if (diag !== undefined) this.diag(diag);
    }
    return !!cond;
  }
  is(got, want, desc) {
    return this.ok(got === want, desc, `got:  ${JSON.stringify(got)}\nwant: ${JSON.stringify(want)}`);
  }
  skip(desc, reason) {
    this.n++;
    this.skipped++;
    console.log(`ok ${this.n} - ${desc} # skip ${reason}`);
  }
  diag(text) {
    for (const line of String(text).split('\n')) console.log(`# ${line}`);
  }
  done() {
    console.log(`1..${this.n}`);
    return this.failed === 0;
  }
}

// --- the CLI ----------------------------------------------------------------

export function cli(ctx, args, input) {
  return execFileSync(ctx.tillit, ['--db', ctx.db, ...args], {
    input: input ?? '',
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    env: ctx.env,
    timeout: 60_000,
  });
}

export function cliJson(ctx, args) {
  return JSON.parse(cli(ctx, [...args, '--format', 'json']));
}

// The overall readiness score as the CLI computes it from the same database.
export function cliScore(ctx) {
  return cliJson(ctx, ['readiness']).overall.score;
}

// --- the server ---------------------------------------------------------------

// Starts 'tillit serve' on 127.0.0.1 and a port the kernel picks; resolves
// with { url, proc, stop() } once it prints its URL.
export function startServer(ctx, maxSeconds) {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      ctx.tillit,
      ['--db', ctx.serveDb || ctx.db, 'serve', '--listen', '127.0.0.1:0', '--max-seconds', String(maxSeconds), '--quiet'],
      { env: ctx.env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    let settled = false;
    const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
    const timer = setTimeout(() => finish(new Error(`the server did not start in 30 s\n${err}`)), 30_000);
    function finish(e, url) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (e) {
        proc.kill('SIGKILL');
        reject(e);
        return;
      }
      resolve({
        url,
        proc,
        stderr: () => err,
        // SIGTERM and wait: a clean stop exits 0 (sanitizers report at exit).
        async stop() {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
          const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
          const r = await exited;
          clearTimeout(killer);
          return { ...r, stderr: err };
        },
      });
    }
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^tillit: listening on (http:\/\/127\.0\.0\.1:\d+)/m);
      if (m) finish(null, m[1]);
    });
    proc.stderr.on('data', (d) => {
      err += d;
    });
    proc.on('exit', (code) => finish(new Error(`the server exited (${code}) before listening\n${err}`)));
    proc.on('error', (e) => finish(e));
  });
}

// --- the browser ------------------------------------------------------------------

// The flags under which Debian's chromium is known to run here: headless, no
// sandbox (root in a container), and nothing that phones out.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

// Launches chromium; playwright gives it a new, empty --user-data-dir.
export async function launch(chromium, executablePath) {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

export async function newContext(ctx, device) {
  const context = await ctx.browser.newContext({
    ...device,
    baseURL: ctx.url,
    locale: 'en-US',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  // Every page load the run makes is checked for errors in the console
  // (a CSP violation, a failed script).
  // The documents' own statuses are the steps' business; failed sub-resources
  // (a stylesheet, a script) are not expected anywhere, nor a favicon 404
  // (a 404 per page in every browser's console).
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text()))
      ctx.consoleErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => ctx.consoleErrors.push(`${page.url()}: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document')
      ctx.consoleErrors.push(`${r.url()}: ${r.status()} (${r.request().resourceType()})`);
  });
  page.on('requestfailed', (r) => {
    if (!/ERR_ABORTED/.test(r.failure()?.errorText || ''))
      ctx.consoleErrors.push(`${r.url()}: ${r.failure()?.errorText}`);
  });
  return { context, page };
}

export async function login(page, email, password) {
  await page.goto('/login');
  await page.getByLabel(/e-?mail|e-post/i).fill(email);
  await page.getByLabel(/password|lösenord/i).fill(password);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /log in|sign in|logga in/i }).click()]);
}

// --- discovery: features arrive as their pages land -----------------------------------

// The first of PATHS (relative to the organization) that the server answers
// with 200, or null. Uses the context's cookies.
export async function findRoute(ctx, page, paths) {
  for (const p of paths) {
    const url = `/o/${ctx.org}${p}`;
    const r = await page.request.get(url, { maxRedirects: 0 });
    if (r.status() === 200) return url;
  }
  return null;
}

// --- reading figures off pages --------------------------------------------------------

// The readiness score on the dashboard as { value, decimals }, or null while
// the dashboard has no readiness figure. Found by its id, else as a user
// would: the section headed "Readiness" (not marked pending), its first number.
export async function readScore(page) {
  const parse = (s) => {
    const m = s.match(/(\d{1,3})(?:[.,](\d+))?/);
    return m ? { value: parseFloat(`${m[1]}.${m[2] || 0}`), decimals: m[2] ? m[2].length : 0 } : null;
  };
  const id = page.locator('#readiness-score').first();
  if ((await id.count()) > 0) return parse(await id.innerText());
  const sections = page.locator('section, article, div.card').filter({
    has: page.getByRole('heading', { name: /readiness|beredskap/i }),
  });
  const n = await sections.count();
  for (let i = 0; i < n; i++) {
    const s = sections.nth(i);
    if (/\bpending\b/.test((await s.getAttribute('class')) || '')) continue;
    const meter = s.locator('meter, progress, [role=meter], [role=progressbar]').first();
    if ((await meter.count()) > 0) {
      const v = (await meter.getAttribute('value')) ?? (await meter.getAttribute('aria-valuenow'));
      if (v !== null) return parse(v);
    }
    const r = parse(await s.innerText());
    if (r) return r;
  }
  return null;
}

// Whether a score shown with DECIMALS decimals is the CLI's exact score.
export function sameScore(shown, exact) {
  const f = 10 ** shown.decimals;
  return Math.abs(Math.round(exact * f) / f - shown.value) < 1e-9;
}

// --- page checks -------------------------------------------------------------------------

// Runs in the page: the accessibility facts a test can check without a
// screen reader. Returns lists of problems (empty lists: none).
function pageFacts(deviceWidth) {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
  };
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += `#${el.id}`;
    else if (el.className && typeof el.className === 'string') s += `.${el.className.trim().split(/\s+/).join('.')}`;
    const txt = (el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return txt ? `${s} "${txt}"` : s;
  };
  const name = (el) =>
    (el.getAttribute('aria-label') || '').trim() ||
    (el.getAttribute('aria-labelledby') || '')
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent || '')
      .join(' ')
      .trim() ||
    (el.innerText || el.textContent || '').trim() ||
    (el.getAttribute('title') || '').trim() ||
    (el.querySelector('img[alt]')?.getAttribute('alt') || '').trim() ||
    (el.tagName === 'INPUT' ? (el.value || '').trim() : '');

  const out = { lang: document.documentElement.lang, h1: document.querySelectorAll('h1').length };
  out.main = document.querySelectorAll('main').length;
  out.title = document.title;
  out.unlabelled = [];
  for (const el of document.querySelectorAll('input, select, textarea')) {
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (['hidden', 'submit', 'button', 'reset', 'image'].includes(type)) continue;
    const labelled =
      (el.labels && [...el.labels].some((l) => l.textContent.trim())) ||
      (el.getAttribute('aria-label') || '').trim() ||
      (el.getAttribute('aria-labelledby') || '').trim() ||
      (el.getAttribute('title') || '').trim();
    if (!labelled) out.unlabelled.push(describe(el));
  }
  out.nameless = [];
  for (const el of document.querySelectorAll('a[href], button, summary, [role=button]')) {
    if (!name(el)) out.nameless.push(describe(el));
  }
  out.svgNoName = [];
  for (const el of document.querySelectorAll('svg')) {
    if (el.closest('[aria-hidden=true]') || el.getAttribute('aria-hidden') === 'true') continue;
    if (el.parentElement && el.parentElement.closest('svg')) continue;
    const hasName = name(el) || el.querySelector(':scope > title')?.textContent.trim();
    if (!hasName) out.svgNoName.push(describe(el));
  }
  out.imgNoAlt = [...document.querySelectorAll('img:not([alt])')].map(describe);

  // Horizontal overflow: the page itself must not scroll sideways (tables
  // may, inside their own scroll box).
  // On a phone the browser widens the window to the content (and zooms
  // out): compare with the device's width, not window.innerWidth.
  out.scrollWidth = Math.max(document.documentElement.scrollWidth, window.innerWidth);
  out.innerWidth = deviceWidth;
  out.wide = [];
  if (out.scrollWidth > out.innerWidth + 1) {
    // The offenders: elements past the right edge that no scroll box of
    // their own clips, the outermost of each.
    // (an absolutely positioned element escapes a scroll box that is not
    // its containing block: the .sr-only text of a table header does)
    const clipped = (el) => {
      let abs = getComputedStyle(el).position === 'absolute';
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const cs = getComputedStyle(a);
        if (cs.overflowX !== 'visible' && !abs) return true;
        if (abs && cs.position !== 'static') abs = false;
        if (cs.position === 'fixed') return true;
      }
      return false;
    };
    const over = (el) => el.getBoundingClientRect().right > out.innerWidth + 1;
    const offends = (el) => el && el !== document.body && over(el) && visible(el) && !clipped(el);
    for (const el of document.body.querySelectorAll('*')) {
      if (!offends(el) || offends(el.parentElement)) continue;
      out.wide.push(`${describe(el)} right=${Math.round(el.getBoundingClientRect().right)} (${getComputedStyle(el).display})`);
      if (out.wide.length >= 8) break;
    }
  }

  // Nothing spills out of a card (a table wider than its box runs over the
  // next card without making the page any wider).
  out.spill = [];
  for (const card of document.querySelectorAll('.card')) {
    const cr = card.getBoundingClientRect();
    for (const el of card.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right > cr.right + 1 && visible(el) && getComputedStyle(el).position !== 'absolute') {
        out.spill.push(`${describe(card)} > ${describe(el)}: ${Math.round(r.right - cr.right)}px past the card`);
        break;
      }
    }
  }

  // Text contrast (WCAG 2.x AA: 4.5:1, 3:1 for large text), against the
  // nearest opaque background.
  const parse = (c) => {
    const m = c.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
    return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
  };
  const lum = ([r, g, b]) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const blend = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const bgOf = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
    return bg;
  };
  out.lowContrast = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    if (!t.textContent.trim()) continue;
    const el = t.parentElement;
    if (!el || el.closest('svg, .sr-only, [aria-hidden=true]') || !visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right < 0 || r.bottom < 0) continue; // off-screen (the skip link)
    const cs = getComputedStyle(el);
    if (cs.clip && cs.clip !== 'auto' && cs.position === 'absolute') continue;
    const fg0 = parse(cs.color);
    if (!fg0) continue;
    const bg = bgOf(el);
    const fg = blend([fg0[0], fg0[1], fg0[2], fg0[3] * parseFloat(cs.opacity || '1')], bg);
    const l1 = lum(fg);
    const l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(cs.fontSize);
    const bold = parseInt(cs.fontWeight, 10) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio + 1e-9 < need) {
      const key = `${cs.color}|${bg.join(',')}|${el.tagName}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.lowContrast.push(`${describe(el)}: ${ratio.toFixed(2)}:1 < ${need}:1 (${cs.color} on rgb(${bg.slice(0, 3).map(Math.round).join(',')}))`);
    }
  }
  return out;
}

// Checks a loaded page as a user of a screen reader, a keyboard or a phone
// would need it; one TAP line per kind of problem.
export async function checkPage(ctx, page, label) {
  const f = await page.evaluate(pageFacts, page.viewportSize().width);
  const t = ctx.tap;
  t.ok(f.lang === 'en' || f.lang === 'sv', `${label}: <html lang> is set`, `lang=${f.lang}`);
  t.is(f.h1, 1, `${label}: one h1`);
  t.is(f.main, 1, `${label}: one main landmark`);
  t.ok(/Tillit/.test(f.title), `${label}: a title`, f.title);
  t.ok(f.unlabelled.length === 0, `${label}: every field has a label`, f.unlabelled.join('\n'));
  t.ok(f.nameless.length === 0, `${label}: every link and button has a name`, f.nameless.join('\n'));
  t.ok(f.svgNoName.length === 0 && f.imgNoAlt.length === 0, `${label}: every chart and image has a text alternative`,
    [...f.svgNoName, ...f.imgNoAlt].join('\n'));
  t.ok(f.scrollWidth <= f.innerWidth + 1, `${label}: no sideways scrolling at ${f.innerWidth}px`,
    `page is ${f.scrollWidth}px wide; overflowing:\n${f.wide.join('\n')}`);
  t.ok(f.spill.length === 0, `${label}: nothing spills out of its card`, f.spill.join('\n'));
  t.ok(f.lowContrast.length === 0, `${label}: text contrast meets WCAG AA`, f.lowContrast.join('\n'));
  return f;
}

// The whole page, down to MAX_SHOT px: a list of thousands of rows is
// photographed from its top (and said so).
const MAX_SHOT = 6000;
export async function screenshot(ctx, page, name) {
  const file = path.join(ctx.shots, `${name}.png`);
  const { w, h } = await page.evaluate(() => ({
    w: document.documentElement.clientWidth,
    h: document.documentElement.scrollHeight,
  }));
  if (h > 10 * MAX_SHOT) {
    ctx.tap.diag(`${name}: the page is ${h} px tall; the screenshot shows the window only`);
    await page.screenshot({ path: file });
  } else if (h > MAX_SHOT) {
    ctx.tap.diag(`${name}: the page is ${h} px tall; the screenshot shows its first ${MAX_SHOT} px`);
    await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: w, height: MAX_SHOT } });
  } else {
    await page.screenshot({ path: file, fullPage: true });
  }
  ctx.shotsTaken.push(file);
  return file;
}

// Puts the directory FROM in the place of DIR (two renames; the old set is
// removed after).
export function publishShots(from, dir) {
  const old = `${dir}.old-${process.pid}`;
  try {
    fs.renameSync(dir, old);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  fs.renameSync(from, dir);
  fs.rmSync(old, { recursive: true, force: true });
}
