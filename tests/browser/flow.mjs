// flow.mjs - what a user does in Tillit, step by step, in one browser
// session: log in, look around, adopt a suggested control, upload evidence,
// run a check, watch the readiness score move, download the report.
//
// Steps run in order and share ctx (the page, the scores read so far).
// Every page and step is required: a page that is not served, or a button
// a step cannot find, is a failure naming what it looked for. To extend the
// flow, add a step here (and its page to PAGES for screenshots).

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import {
  DESKTOP, PHONE, checkPage, cliJson, cliScore, findRoute, login, newContext, readScore, sameScore, screenshot,
} from './lib.mjs';

// The main pages: screenshots of each on a desktop and a phone, and the page
// checks of lib.mjs; a path list names the paths tried in order.
export const PAGES = [
  { name: 'dashboard', path: '', h1: /dashboard/i },
  { name: 'criteria', path: '/criteria', h1: /criteria/i },
  { name: 'criterion', path: '/criteria/CC6.1', h1: /CC6\.1/ },
  { name: 'controls', path: '/controls', h1: /controls/i },
  { name: 'control', path: '/controls/AST-01', h1: /AST-01/ },
  { name: 'library', path: ['/library'], h1: /librar/i },
  { name: 'gap', path: ['/gap'], h1: /gap/i },
  { name: 'readiness', path: ['/readiness'], h1: /readiness/i },
  { name: 'risks', path: '/risks', h1: /risk/i },
  { name: 'risk', path: ['/risks/R-01'], h1: /R-01/ },
  { name: 'policies', path: '/policies', h1: /polic/i },
  { name: 'policy', path: null, h1: /./ }, // the first policy listed
  { name: 'people', path: '/people', h1: /people/i },
  { name: 'vendors', path: '/vendors', h1: /vendors/i },
  { name: 'scope', path: ['/scope'], h1: /scope|system/i },
  { name: 'evidence', path: ['/evidence'], h1: /evidence/i },
  { name: 'evidence-due', path: ['/evidence/due'], h1: /due|evidence/i },
  { name: 'evidence-upload', path: ['/evidence/new'], h1: /evidence|upload/i },
  { name: 'plan', path: ['/plan'], h1: /plan/i },
  { name: 'checks', path: ['/checks', '/datasets'], h1: /check|dataset/i },
  { name: 'reports', path: ['/reports'], h1: /report/i },
  { name: 'engagements', path: ['/engagements'], h1: /engagement/i },
  { name: 'datasets', path: ['/datasets'], h1: /dataset/i },
  { name: 'search', path: ['/search?q=access'], h1: /search/i },
  { name: 'audit', path: '/audit', h1: /audit/i },
];

async function firstPolicyUrl(ctx, page) {
  await page.goto(`/o/${ctx.org}/policies`);
  return page.locator(`main a[href^="/o/${ctx.org}/policies/"]`).first().getAttribute('href');
}

// Visits every page of PAGES, checks and photographs it as DEVICE.
async function visitPages(ctx, page, device) {
  const t = ctx.tap;
  for (const p of PAGES) {
    const label = `${device} ${p.name}`;
    let url;
    if (p.path === null) url = await firstPolicyUrl(ctx, page);
    else if (Array.isArray(p.path)) url = await findRoute(ctx, page, p.path);
    else url = `/o/${ctx.org}${p.path}`;
    if (!url) {
      t.ok(false, `${label}: page`, `not served yet (tried ${p.path.map((x) => `/o/${ctx.org}${x}`).join(', ')})`);
      continue;
    }
    const resp = await page.goto(url);
    if (!t.is(resp.status(), 200, `${label}: ${url} is 200`)) continue;
    const h1 = (await page.locator('h1').first().innerText()).trim();
    t.ok(p.h1.test(h1), `${label}: its heading (${h1})`, `want ${p.h1}`);
    // a list page says how many rows it has, "Controls (100)": it shows as many
    const n = h1.match(/\((\d+)\)\s*$/);
    if (n) {
      const rows = await page.locator('main table tbody tr').count();
      t.is(rows, parseInt(n[1], 10), `${label}: as many rows as its heading says`);
    }
    // A page of tens of thousands of elements is a bug of its own (and the
    // checks below would walk it for minutes): said once, then photographed.
    const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    if (t.ok(elements < 20000, `${label}: a page of a sane size (${elements} elements)`)) await checkPage(ctx, page, label);
    await screenshot(ctx, page, `${device}-${p.name}`);
  }
}

// --- steps --------------------------------------------------------------------

async function stepLogin(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  const r = await page.goto(`/o/${ctx.org}`);
  t.ok(/\/login\?next=/.test(page.url()), 'a page without a session goes to the login', page.url());
  t.is(r.status(), 200, 'the login page is 200');
  await checkPage(ctx, page, 'desktop login');
  await screenshot(ctx, page, 'desktop-login');

  // where it should not fire: a wrong password
  await login(page, ctx.admin.email, 'not the password at all');
  t.ok(/\/login/.test(page.url()), 'a wrong password stays on the login', page.url());
  const alert = page.getByRole('alert');
  t.ok((await alert.count()) === 1 && /wrong/i.test(await alert.innerText()), 'a wrong password is said so');

  await login(page, ctx.admin.email, ctx.admin.password);
  t.is(new URL(page.url()).pathname, `/o/${ctx.org}`, 'logging in goes on to the organization');
  const cookies = await page.context().cookies();
  const s = cookies.find((c) => c.name === 'tillit_session');
  t.ok(s && s.httpOnly && s.sameSite === 'Lax', 'the session cookie is HttpOnly and SameSite=Lax', JSON.stringify(s));
}

async function stepDashboard(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  await page.goto(`/o/${ctx.org}`);
  t.ok(/Norrsken Analytics/.test(await page.locator('header').innerText()), 'the dashboard names the organization');
  const controls = cliJson(ctx, ['control', 'list']).length;
  t.is(await controlsCount(page), controls, `the dashboard counts ${controls} controls, as the CLI does`);
  ctx.controls0 = controls;
  const score = await readScore(page);
  if (score === null) {
    t.ok(false, 'the dashboard shows the readiness score', 'no readiness figure on the dashboard yet');
  } else {
    const want = cliScore(ctx);
    t.ok(sameScore(score, want), `the dashboard's readiness (${score.value}) is the CLI's (${want.toFixed(2)}) rounded`);
  }
  ctx.score0 = score && score.value;
  ctx.cliScore0 = cliScore(ctx);
}

async function stepCriteria(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  await page.goto(`/o/${ctx.org}/criteria`);
  const rows = page.locator('main table tbody tr');
  t.ok((await rows.count()) >= 33, 'the criteria page lists the 33 common criteria at least', await rows.count());
  // filter by category: app.js submits the form when the select changes
  await Promise.all([page.waitForURL(/category=availability/), page.getByLabel(/category/i).selectOption('availability')]);
  const ids = await page.locator('main table tbody tr td:first-child').allInnerTexts();
  t.ok(ids.length > 0 && ids.every((id) => /^A1\./.test(id.trim())), 'choosing a category shows its criteria only', ids.join(' '));
  await page.goto(`/o/${ctx.org}/criteria`);
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'CC6.1', exact: true }).first().click()]);
  t.is(new URL(page.url()).pathname, `/o/${ctx.org}/criteria/CC6.1`, 'a criterion opens from the list');
  t.ok((await page.locator('dl.pofs dt, main dt').count()) >= 5, 'the criterion shows its points of focus');
}

async function stepControls(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  await page.goto(`/o/${ctx.org}/controls`);
  const want = cliJson(ctx, ['control', 'list', '--status', 'implemented']).map((c) => c.code).sort();
  await Promise.all([page.waitForURL(/status=implemented/), page.getByLabel(/status/i).selectOption('implemented')]);
  const got = (await page.locator('main table tbody tr td:first-child a').allInnerTexts()).map((s) => s.trim()).sort();
  t.is(got.join(','), want.join(','), `filtering by status shows the ${want.length} implemented controls`);

  await page.goto(`/o/${ctx.org}/controls`);
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'AST-01', exact: true }).first().click()]);
  t.ok(/AST-01/.test(await page.locator('h1').innerText()), 'a control opens from the list');
  const show = cliJson(ctx, ['control', 'show', 'AST-01']);
  const text = await page.locator('main').innerText();
  t.ok(text.includes(show.title), 'the control page shows its title as stored');
  t.ok(/CC6\.1/.test(text), 'the control page shows its mapping to CC6.1');
}

async function stepRisks(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  await page.goto(`/o/${ctx.org}/risks`);
  const map = page.locator('svg.heatmap, svg[role=img]').first();
  t.is(await map.locator('rect').count(), 25, 'the heat map has 5 × 5 cells');
  const counts = (await map.locator('text.hm-n').allTextContents()).map((s) => parseInt(s || '0', 10));
  const total = counts.reduce((a, b) => a + b, 0);
  const risks = cliJson(ctx, ['risk', 'list']).length;
  t.is(total, risks, `the heat map places all ${risks} risks`);
}

async function stepPolicy(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  const url = await firstPolicyUrl(ctx, page);
  await page.goto(url);
  const body = page.locator('.policy-text, main article, main');
  t.ok((await body.first().locator('h2, h3, p').count()) > 2, 'a policy shows its text rendered from markdown');
  t.is(await page.locator('main script').count(), 0, 'no script in a rendered policy');
}

async function stepExport(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  await page.goto(`/o/${ctx.org}/controls?status=operating`);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'CSV', exact: true }).click()]);
  const file = path.join(ctx.scratch, 'controls.csv');
  await dl.saveAs(file);
  const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const want = cliJson(ctx, ['control', 'list', '--status', 'operating']).length;
  t.ok(/code/i.test(lines[0]), 'the CSV export starts with its header', lines[0]);
  t.is(lines.length - 1, want, `the CSV export keeps the filter: ${want} operating controls`);
}

async function stepAuditVerify(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  await page.goto(`/o/${ctx.org}/audit`);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /verify/i }).click()]);
  const status = page.getByRole('status');
  t.ok((await status.count()) === 1 && /intact/i.test(await status.innerText()), 'verifying the audit chain says it is intact');
  await screenshot(ctx, page, 'desktop-audit-verified');
}

async function stepLanguage(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  await page.goto(`/o/${ctx.org}`);
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Svenska' }).click()]);
  t.is(await page.locator('html').getAttribute('lang'), 'sv', 'Svenska switches the page to Swedish');
  t.ok((await page.getByRole('link', { name: 'Kontroller' }).count()) > 0, '... the navigation too');
  await screenshot(ctx, page, 'desktop-dashboard-sv');
  await page.goto(`/o/${ctx.org}/controls`);
  t.is(await page.locator('html').getAttribute('lang'), 'sv', '... and the choice is remembered');
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'English' }).click()]);
  t.is(await page.locator('html').getAttribute('lang'), 'en', 'English switches back');
}

async function stepKeyboard(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  await page.goto(`/o/${ctx.org}/controls`);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement.textContent.trim());
  t.ok(/skip/i.test(first), 'the first Tab reaches the skip link', first);
  await page.keyboard.press('Enter');
  const id = await page.evaluate(() => document.activeElement.id || document.activeElement.tagName);
  t.ok(/^(main|MAIN)$/.test(id), 'the skip link moves the focus to the main content', id);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  t.ok(outline !== 'none', 'the focus is visible', outline);
}

// The search box in the header finds controls and risks; what is typed
// comes back as text, never as markup.
async function stepSearch(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  await page.goto(`/o/${ctx.org}`);
  const box = page.getByRole('banner').getByRole('searchbox');
  if ((await box.count()) === 0) return t.ok(false, 'search', 'no search box in the header yet');
  await box.first().fill('ransomware');
  await Promise.all([page.waitForURL(/\/search\?/), box.first().press('Enter')]);
  const hits = page.locator('main ol a, main ul a').filter({ hasText: /R-03/ });
  t.ok((await hits.count()) > 0, 'searching "ransomware" finds risk R-03', (await page.locator('main').innerText()).slice(0, 300));
  await screenshot(ctx, page, 'desktop-search-ransomware');
  const payload = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  let dialogs = 0;
  const onDialog = (d) => { dialogs++; d.dismiss().catch(() => {}); };
  page.on('dialog', onDialog);
  await page.getByRole('main').getByRole('searchbox').first().fill(payload);
  await Promise.all([page.waitForEvent('load'), page.getByRole('main').getByRole('searchbox').first().press('Enter')]);
  t.is(await page.getByRole('main').getByRole('searchbox').first().inputValue(), payload, 'a search for markup comes back as typed');
  t.is(await page.locator('main img[src=x], main script').count(), 0, '... and never as markup');
  t.is(dialogs, 0, '... and runs nothing');
  page.off('dialog', onDialog);
}

// --- the flow: adopt, set to work, upload evidence, check, score, report ------------------

const esc = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The dashboard's count of controls (the big figure of its Controls card).
async function controlsCount(page) {
  const card = page.locator('#card-controls').or(
    page.locator('section', { has: page.getByRole('heading', { name: /^controls$/i }) })).first();
  return parseInt((await card.locator('.big').first().innerText()).trim(), 10);
}

// Reads the dashboard's score, checks it against the CLI, remembers it.
async function scoreNow(ctx, what) {
  const t = ctx.tap;
  await ctx.page.goto(`/o/${ctx.org}`);
  const score = await readScore(ctx.page);
  const want = cliScore(ctx);
  if (score === null) {
    t.ok(false, `the dashboard's readiness ${what}`, 'no readiness figure on the dashboard yet');
  } else {
    t.ok(sameScore(score, want), `the dashboard's readiness ${what} (${score.value}) is the CLI's (${want.toFixed(2)}) rounded`);
  }
  return { page: score && score.value, cli: want };
}

// Adopt the first suggested control from the gap page.
async function stepAdopt(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  const url = await findRoute(ctx, page, ['/gap']);
  if (!url) return t.ok(false, 'adopt a suggested control', 'no gap page yet');
  const sugg = cliJson(ctx, ['gap', '--suggest']).suggestions[0];
  await page.goto(url);
  const button = page.getByRole('button', { name: new RegExp(`^(adopt|anta|inför)\\b.*\\b${esc(sugg.code)}\\b`, 'i') }).first();
  if ((await button.count()) === 0) return t.ok(false, `adopt ${sugg.code}`, `no Adopt button for ${sugg.code} on ${url}`);
  await screenshot(ctx, page, 'desktop-gap-before-adopt');
  await Promise.all([page.waitForEvent('load'), button.click()]);
  t.ok(cliJson(ctx, ['control', 'list']).some((c) => c.code === sugg.code), `adopting ${sugg.code} on the gap page adds it to the program`);
  t.ok(!cliJson(ctx, ['gap', '--suggest']).suggestions.some((s) => s.code === sugg.code), '... and it is no longer suggested');
  t.is(await page.locator(`#adopt-${sugg.code}`).count(), 0, '... nor offered on the page it returns to');
  await page.goto(`/o/${ctx.org}`);
  t.is(await controlsCount(page), ctx.controls0 + 1, 'the dashboard counts one control more');
  ctx.adopted = sugg.code;
}

// An adopted control scores nothing until it is past not-started: set it
// to implemented on its edit form, and the score moves.
async function stepImplement(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  if (!ctx.adopted) return t.ok(false, 'set the adopted control to implemented', 'nothing adopted');
  const code = ctx.adopted;
  const before = await scoreNow(ctx, 'before');
  const url = await findRoute(ctx, page, [`/controls/${code}/edit`]);
  if (!url) return t.ok(false, `set ${code} to implemented`, 'no control edit form yet');
  await page.goto(url);
  await screenshot(ctx, page, 'desktop-control-edit');
  await page.getByLabel(/^status/i).selectOption('implemented');
  await Promise.all([page.waitForEvent('load'), page.locator('form.record button[type=submit], form button[type=submit]').last().click()]);
  t.is(cliJson(ctx, ['control', 'show', code]).status, 'implemented', `the edit form sets ${code} to implemented`);
  const after = await scoreNow(ctx, `after implementing ${code}`);
  t.ok(after.cli > before.cli, `implementing ${code} raises the readiness (${before.cli.toFixed(2)} → ${after.cli.toFixed(2)})`);
  await screenshot(ctx, page, 'desktop-dashboard-after-adopt');
}

// Upload evidence for an operating control that has none: the control's
// criteria go from operating-unverified to operating.
async function stepEvidence(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  const code = 'AST-01';
  const before = await scoreNow(ctx, 'before the upload');
  let url = await findRoute(ctx, page, [`/evidence/new?control=${code}`, `/controls/${code}`, '/evidence']);
  if (url) await page.goto(url);
  if (!url || (await page.locator('input[type=file]').count()) === 0)
    return t.ok(false, 'upload evidence', `no file field on /evidence/new or /controls/${code} yet`);
  const content = `Asset inventory reconciliation, Q4\nchecked ${new Date().toISOString()}\n`;
  const sha = crypto.createHash('sha256').update(content).digest('hex');
  const form = page.locator('form', { has: page.locator('input[type=file]') }).first();
  await form.locator('input[type=file]').setInputFiles({ name: 'inventory-q4.txt', mimeType: 'text/plain', buffer: Buffer.from(content) });
  const ctl = form.getByLabel(/^controls?\b/i);
  if ((await ctl.count()) > 0) {
    const el = ctl.first();
    const tag = await el.evaluate((e) => e.tagName);
    if (tag === 'SELECT') await el.selectOption(code);
    else if ((await el.inputValue()) === '') await el.fill(code);
  }
  await screenshot(ctx, page, 'desktop-evidence-form');
  await Promise.all([page.waitForEvent('load'), form.locator('button[type=submit]').last().click()]);
  t.ok((await page.getByText('inventory-q4.txt').count()) > 0, 'the uploaded file is shown after the upload', page.url());
  const items = cliJson(ctx, ['evidence', 'list', '--control', code]);
  const item = items.find((e) => e.name === 'inventory-q4.txt');
  t.ok(item, `the upload is evidence of ${code} in the database`, JSON.stringify(items).slice(0, 400));
  if (item) {
    t.is(cliJson(ctx, ['evidence', 'show', item.id]).sha256, sha, "the vault's SHA-256 is the file's");
    // and it comes back byte for byte
    const r = await page.request.get(`/o/${ctx.org}/evidence/${item.id}/download`);
    t.ok(r.status() === 200 && (await r.body()).equals(Buffer.from(content)), 'the evidence downloads byte for byte', r.status());
  }
  await screenshot(ctx, page, 'desktop-evidence-uploaded');
  const after = await scoreNow(ctx, 'after the upload');
  t.ok(after.cli > before.cli, `evidence for ${code} raises the readiness (${before.cli.toFixed(2)} → ${after.cli.toFixed(2)})`);
}

// Run a check and see its result: the check records its run and adds it
// as evidence of its control, so the readiness moves again.
async function stepCheck(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  const url = await findRoute(ctx, page, ['/checks', '/datasets']);
  if (!url) return t.ok(false, 'run a check', 'no checks page yet');
  const before = await scoreNow(ctx, 'before the check');
  await page.goto(url);
  const run = page.getByRole('button', { name: /^(run|kör)\b/i }).first();
  if ((await run.count()) === 0) return t.ok(false, 'run a check', `no Run button on ${url}`);
  await screenshot(ctx, page, 'desktop-checks-before-run');
  await Promise.all([page.waitForEvent('load'), run.click()]);
  const text = await page.locator('main').innerText();
  t.ok(/\b(pass|fail|passed|failed|godkänd|underkänd)\b/i.test(text), 'running a check shows its result', text.slice(0, 300));
  t.ok(/exception|avvikelse|population/i.test(text), '... with its population and exceptions', text.slice(0, 300));
  await screenshot(ctx, page, 'desktop-check-run');
  const after = await scoreNow(ctx, 'after the check');
  t.ok(after.cli >= before.cli, `a check run never lowers the readiness (${before.cli.toFixed(2)} → ${after.cli.toFixed(2)})`);
}

// The readiness score over the whole flow.
async function stepScore(ctx) {
  const t = ctx.tap;
  const now = await scoreNow(ctx, 'at the end');
  if (now.page === null) return;
  await screenshot(ctx, ctx.page, 'desktop-dashboard-after');
  if (ctx.score0 === null) return;
  t.ok(now.page > ctx.score0, `over the flow the dashboard's readiness rose (${ctx.score0} → ${now.page})`);
}

// Download the readiness report: a whole PDF, and the HTML page.
async function stepReport(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  const url = await findRoute(ctx, page, ['/reports', '/readiness']);
  if (!url) return t.ok(false, 'download the report', 'no reports or readiness page yet');
  await page.goto(url);
  const pdf = page.locator('#report-pdf').or(page.getByRole('link', { name: /^pdf$/i })).first();
  if ((await pdf.count()) === 0) return t.ok(false, 'download the report', `no PDF link on ${url}`);
  const [dl] = await Promise.all([page.waitForEvent('download'), pdf.click()]);
  const file = path.join(ctx.scratch, 'report.pdf');
  await dl.saveAs(file);
  const bytes = fs.readFileSync(file);
  t.ok(bytes.subarray(0, 5).toString('latin1') === '%PDF-', `the report downloads as a PDF (${dl.suggestedFilename()}, ${bytes.length} bytes)`,
    bytes.subarray(0, 64).toString('latin1'));
  t.ok(/%%EOF\s*$/.test(bytes.subarray(-32).toString('latin1')), '... a whole one');
  const html = page.locator('#report-html').or(page.getByRole('link', { name: /^html$/i })).first();
  if ((await html.count()) > 0) {
    const [dh] = await Promise.all([page.waitForEvent('download'), html.click()]);
    const hf = path.join(ctx.scratch, 'report.html');
    await dh.saveAs(hf);
    const text = fs.readFileSync(hf, 'utf8');
    t.ok(/^\s*<!doctype html/i.test(text) && text.includes('Norrsken'), 'the HTML report is a page naming the organization', text.slice(0, 120));
    const score = cliScore(ctx);
    const shown = new RegExp(`(^|[^\\d.])(${score.toFixed(1).replace('.', '\\.')}|${Math.round(score)})\\s*(&nbsp;)?%`);
    t.ok(shown.test(text), `... with today's readiness (${score.toFixed(1)} %)`);
  }
}

// Where it should not fire: a viewer sees the program and cannot change it.
async function stepViewer(ctx) {
  const t = ctx.tap;
  const { context, page } = await newContext(ctx, DESKTOP);
  try {
    await login(page, ctx.viewer.email, ctx.viewer.password);
    t.is(new URL(page.url()).pathname, `/o/${ctx.org}`, 'a viewer logs in to the dashboard');
    await page.goto(`/o/${ctx.org}/controls/AST-01`);
    t.is(await page.locator('input[type=file]').count(), 0, 'a viewer is offered no upload on a control');
    const gap = await findRoute(ctx, page, ['/gap']);
    if (gap) {
      await page.goto(gap);
      t.is(await page.getByRole('button', { name: /^(adopt|anta|inför)\b/i }).count(), 0, 'a viewer is offered no Adopt');
      const csrf = await page.locator('input[name=csrf]').first().inputValue();
      const code = cliJson(ctx, ['gap', '--suggest']).suggestions[0].code;
      const r = await page.request.post(`/o/${ctx.org}/controls/adopt`, { form: { csrf, code }, maxRedirects: 0 });
      t.is(r.status(), 403, "a viewer's adopt, posted anyway, is 403");
      t.ok(!cliJson(ctx, ['control', 'list']).some((c) => c.code === code), '... and adopts nothing');
    }
    const up = await page.request.get(`/o/${ctx.org}/evidence/new`, { maxRedirects: 0 });
    if (up.status() !== 404) t.is(up.status(), 403, 'the upload form is 403 for a viewer');
    const csrf = await page.locator('input[name=csrf]').first().inputValue();
    const r = await page.request.post(`/o/${ctx.org}/audit/verify`, { form: { csrf }, maxRedirects: 0 });
    t.ok(r.status() < 400, 'a viewer may verify the audit chain (read-only)', r.status());
  } finally {
    await context.close();
  }
}

// The phone layout promises: the sections are one row that scrolls sideways
// (a short header, so the page's heading is on the first screen), every
// section link can be scrolled into view and is then on screen and not
// covered, and the current section is in view when a page opens.
async function stepPhone(ctx) {
  const t = ctx.tap;
  const { context, page } = await newContext(ctx, PHONE);
  try {
    await login(page, ctx.admin.email, ctx.admin.password);
    await visitPages(ctx, page, 'phone');
    const height = PHONE.viewport.height;
    const width = PHONE.viewport.width;
    await page.goto(`/o/${ctx.org}/controls`);
    const nav = page.getByRole('navigation', { name: /sections/i });
    const navBox = await nav.boundingBox();
    const h1 = await page.locator('main h1').first().boundingBox();
    t.ok(navBox && navBox.height <= 64, `phone: the sections are one row (${navBox && Math.round(navBox.height)} px high)`);
    t.ok(h1 && h1.y + h1.height <= height / 3,
      `phone: the page's heading is in the top third of the screen (ends at ${h1 && Math.round(h1.y + h1.height)} px of ${height})`);
    const links = nav.getByRole('link');
    const n = await links.count();
    const off = [];
    for (let i = 0; i < n; i++) {
      const link = links.nth(i);
      await link.scrollIntoViewIfNeeded();
      const b = await link.boundingBox();
      // on screen, and the link itself is what a finger on its middle touches
      const hit = b && await link.evaluate((el, [x, y]) => {
        const at = document.elementFromPoint(x, y);
        return at === el || el.contains(at);
      }, [b.x + b.width / 2, b.y + b.height / 2]);
      if (!b || b.x < 0 || b.x + b.width > width + 1 || b.y < 0 || b.y + b.height > height || !hit)
        off.push(await link.innerText());
    }
    t.ok(n >= 12 && off.length === 0, `phone: each of the ${n} section links scrolls into view, on screen and uncovered`, off.join(', '));
    t.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= width + 1,
      'phone: scrolling the sections never scrolls the page sideways');
    // the last section opened: its link is in view without scrolling
    const last = links.nth(n - 1);
    const href = await last.getAttribute('href');
    await page.goto(href);
    const cur = nav.locator('a[aria-current="page"]');
    const b = (await cur.count()) === 1 ? await cur.boundingBox() : null;
    t.ok(b && b.x >= 0 && b.x + b.width <= width + 1, `phone: on ${href} the current section's link is in view`,
      JSON.stringify(b));
  } finally {
    await context.close();
  }
}

async function stepLogout(ctx) {
  const t = ctx.tap;
  const { page } = ctx;
  await page.goto(`/o/${ctx.org}`);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /log out/i }).click()]);
  t.ok(/\/login/.test(page.url()), 'logging out goes to the login', page.url());
  await page.goto(`/o/${ctx.org}`);
  t.ok(/\/login/.test(page.url()), 'after logging out the dashboard asks for a login again', page.url());
}

export const steps = [
  { name: 'login', run: stepLogin },
  { name: 'dashboard', run: stepDashboard },
  { name: 'pages', run: (ctx) => visitPages(ctx, ctx.page, 'desktop') },
  { name: 'criteria', run: stepCriteria },
  { name: 'controls', run: stepControls },
  { name: 'risks', run: stepRisks },
  { name: 'policy', run: stepPolicy },
  { name: 'export', run: stepExport },
  { name: 'audit', run: stepAuditVerify },
  { name: 'language', run: stepLanguage },
  { name: 'keyboard', run: stepKeyboard },
  { name: 'search', run: stepSearch },
  { name: 'adopt', run: stepAdopt },
  { name: 'implement', run: stepImplement },
  { name: 'evidence', run: stepEvidence },
  { name: 'check', run: stepCheck },
  { name: 'score', run: stepScore },
  { name: 'report', run: stepReport },
  { name: 'viewer', run: stepViewer },
  { name: 'phone', run: stepPhone },
  { name: 'logout', run: stepLogout },
];
