#!/usr/bin/env node
// ThreadLab in a real browser: starts Jupyter Notebook on loopback with a token, drives Chromium
// headless with Playwright, runs a copy of a lesson, interrupts a busy loop and checks what a
// student would see. Exits 0 when all checks pass, 1 with a message and screenshots otherwise.
//
//   node e2e/run.mjs [--python /usr/bin/python3] [--notebook notebooks/00-welcome.ipynb]
//                    [--out target/e2e] [--screenshots docs/img] [--time-limit 180]
//
// The kernelspec "threadlab" must be on JUPYTER_PATH (./threadlab test sets that up).

import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

const opts = parseArgs(process.argv.slice(2));
const started = Date.now();
const state = { step: 'starting', jupyter: null, jupyterLog: [], browser: null, page: null, tmp: null, done: false };

class Failure extends Error {}

function parseArgs(argv) {
  const o = {
    python: process.env.THREADLAB_PYTHON || '/usr/bin/python3',
    notebook: path.join(ROOT, 'notebooks/00-welcome.ipynb'),
    out: path.join(ROOT, 'target/e2e'),
    screenshots: process.env.THREADLAB_SCREENSHOTS || null,
    timeLimit: 180,
    chromium: process.env.CHROMIUM || '/usr/bin/chromium',
    kernel: 'threadlab',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--python') o.python = v();
    else if (a === '--notebook') o.notebook = path.resolve(v());
    else if (a === '--out') o.out = path.resolve(v());
    else if (a === '--screenshots') o.screenshots = path.resolve(v());
    else if (a === '--time-limit') o.timeLimit = Number(v());
    else if (a === '--chromium') o.chromium = v();
    else if (a === '--kernel') o.kernel = v();
    else usage(`unknown option ${a}`);
  }
  if (!(o.timeLimit > 0)) usage('--time-limit takes seconds, e.g. --time-limit 180');
  return o;
}

function usage(msg) {
  console.error(`e2e: ${msg}\nusage: node e2e/run.mjs [--python PY] [--notebook NB] [--out DIR] [--screenshots DIR] [--time-limit S]`);
  process.exit(2);
}

const elapsed = () => ((Date.now() - started) / 1000).toFixed(1) + ' s';
const log = (msg) => console.error(`e2e [${elapsed()}] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function step(name, fn) {
  const t0 = Date.now();
  state.step = name;
  try {
    const r = await fn();
    log(`${name}: ok (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    return r;
  } catch (e) {
    if (e instanceof Failure) throw new Failure(`${name}: ${e.message}`);
    // Playwright's timeouts and target errors: keep their first line, which says what it waited for
    throw new Failure(`${name}: ${String(e.message || e).split('\n')[0]}`);
  }
}

// ---- Playwright and Chromium ----------------------------------------------------------------

async function loadPlaywright() {
  const entry = path.join(ROOT, 'e2e/node_modules/playwright-core/index.mjs');
  if (!fs.existsSync(entry)) {
    throw new Failure(`playwright-core is not installed in ${path.dirname(path.dirname(entry))}. `
      + `Run 'npm install --no-save --no-package-lock' in ${path.join(ROOT, 'e2e')} (./threadlab test does it for you).`);
  }
  return (await import(entry)).chromium;
}

function checkChromium() {
  if (!fs.existsSync(opts.chromium)) {
    throw new Failure(`Chromium is not at ${opts.chromium}. Install Debian's package ('apt-get install chromium', `
      + `./threadlab test does it when run as root) or point --chromium / CHROMIUM at a Chromium binary.`);
  }
}

// ---- Jupyter --------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function startJupyter() {
  state.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-e2e-'));
  const work = path.join(state.tmp, 'notebooks');
  fs.mkdirSync(work);
  if (!fs.existsSync(opts.notebook)) throw new Failure(`no notebook at ${opts.notebook}`);
  // a copy: the browser saves and autosaves, and the committed notebook must keep its real outputs
  const nbName = path.basename(opts.notebook);
  fs.copyFileSync(opts.notebook, path.join(work, nbName));
  // the course's layout as ./threadlab notebook serves it: the index in lectures/, exercises beside it
  for (const dir of ['lectures', 'exercises']) {
    fs.mkdirSync(path.join(work, dir));
    for (const f of fs.readdirSync(path.join(ROOT, dir))) {
      if (f === 'index.ipynb' || (dir === 'exercises' && f.endsWith('.ipynb'))) fs.copyFileSync(path.join(ROOT, dir, f), path.join(work, dir, f));
    }
  }
  if (opts.screenshots) fs.copyFileSync(path.join(ROOT, 'e2e/showcase.ipynb'), path.join(work, 'showcase.ipynb'));
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const args = ['-m', 'notebook', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0',
    `--NotebookApp.token=${token}`, `--notebook-dir=${work}`, '--NotebookApp.open_browser=False'];
  if (process.getuid && process.getuid() === 0) args.push('--allow-root');
  const env = {
    ...process.env,
    // nothing from the user's own Jupyter set-up: no extensions, no saved servers
    JUPYTER_CONFIG_DIR: path.join(state.tmp, 'config'),
    JUPYTER_RUNTIME_DIR: path.join(state.tmp, 'runtime'),
    THREADLAB_PROFILE: process.env.THREADLAB_PROFILE || 'ci',
  };
  let proc;
  try {
    proc = spawn(opts.python, args, { env, cwd: work, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Failure(`could not start ${opts.python}: ${e.message}`);
  }
  state.jupyter = proc;
  const collect = (d) => {
    for (const line of d.toString().split('\n')) if (line.trim()) state.jupyterLog.push(line.replace(token, '<token>'));
    if (state.jupyterLog.length > 400) state.jupyterLog.splice(0, state.jupyterLog.length - 400);
  };
  proc.stdout.on('data', collect);
  proc.stderr.on('data', collect);
  let exited = null;
  proc.once('error', (e) => { exited = `could not run ${opts.python}: ${e.message}`; });
  proc.once('exit', (code, sig) => { exited = exited || `it exited with ${sig || 'code ' + code}`; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (exited) {
      throw new Failure(`Jupyter Notebook did not start (${opts.python} -m notebook): ${exited}.\n`
        + `Its last lines:\n  ${lastLines()}\n`
        + `Install it with 'apt-get install jupyter-notebook' or point --python at a Python that has notebook 6 or 7.`);
    }
    try {
      const r = await fetch(`${base}/api/kernelspecs`, { headers: { Authorization: `token ${token}` } });
      if (r.ok) {
        const specs = await r.json();
        if (!specs.kernelspecs || !specs.kernelspecs[opts.kernel]) {
          throw new Failure(`Jupyter does not know the kernel '${opts.kernel}' (it knows: ${Object.keys(specs.kernelspecs || {}).join(', ')}). `
            + `Run through './threadlab test', which installs a private kernelspec and puts it on JUPYTER_PATH.`);
        }
        return { base, token, nbName, version: r.headers.get('server') || '' };
      }
    } catch (e) {
      if (e instanceof Failure) throw e;
      // not listening yet
    }
    await sleep(250);
  }
  throw new Failure(`Jupyter Notebook did not answer on ${base} within 45 s. Its last lines:\n  ${lastLines()}`);
}

const lastLines = () => (state.jupyterLog.length ? state.jupyterLog.slice(-15).join('\n  ') : '(it printed nothing)');

// Every process below Jupyter, read from /proc. The execution JVM leads its own process group
// (so a cell's child processes die with it): killing Jupyter's group alone would not reach it.
function descendants(rootPid) {
  const children = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(f[1]), pgid = Number(f[2]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push({ pid: Number(d), pgid });
    } catch {
      // gone meanwhile
    }
  }
  const out = [];
  const walk = (pid) => (children.get(pid) || []).forEach((c) => { out.push(c); walk(c.pid); });
  walk(rootPid);
  return out;
}

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const kill = (pid, sig) => { try { process.kill(pid, sig); } catch { /* already gone */ } };

async function stopJupyter() {
  const proc = state.jupyter;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const below = descendants(proc.pid);
  // SIGTERM lets Notebook shut its kernels down, and the kernel ends its execution JVM
  kill(proc.pid, 'SIGTERM');
  const deadline = Date.now() + 8000;
  while (Date.now() < deadline && (alive(proc.pid) || below.some((p) => alive(p.pid)))) await sleep(100);
  kill(-proc.pid, 'SIGKILL');
  for (const p of below) {
    if (p.pgid === p.pid) kill(-p.pid, 'SIGKILL');
    kill(p.pid, 'SIGKILL');
  }
}

// ---- the notebook page ----------------------------------------------------------------------

const KERNEL_IDLE = () => {
  const k = window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel;
  const icon = document.querySelector('#kernel_indicator_icon');
  return !!(k && k.is_connected() && icon && icon.classList.contains('kernel_idle_icon'));
};

// idle, and no cell left queued or running ([*]): between two cells of Run All the kernel is idle too
const ALL_RUN = () => {
  const k = Jupyter.notebook.kernel;
  const icon = document.querySelector('#kernel_indicator_icon');
  if (!k || !icon || !icon.classList.contains('kernel_idle_icon')) return false;
  return Jupyter.notebook.get_cells().every((c) => c.cell_type !== 'code' || c.input_prompt_number !== '*');
};

async function openNotebook(page, jp) {
  await page.goto(`${jp.base}/notebooks/${encodeURIComponent(jp.nbName)}?token=${jp.token}`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded, null, { timeout: 30_000 });
}

async function pickKernel(page) {
  // the menu lists the installed kernels: the one a student picks must be there
  await page.click('#kernellink');
  await page.hover('#menu-change-kernel');
  const item = page.locator(`#kernel-submenu-${opts.kernel}`);
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  const current = await page.evaluate(() => Jupyter.notebook.kernel && Jupyter.notebook.kernel.name);
  if (current !== opts.kernel) await item.click();
  else await page.keyboard.press('Escape');
  await page.waitForFunction((name) => Jupyter.notebook.kernel && Jupyter.notebook.kernel.name === name, opts.kernel, { timeout: 30_000 });
  // the kernel has started when it answered kernel_info and the indicator turned idle
  await page.waitForFunction(KERNEL_IDLE, null, { timeout: 60_000 }).catch(() => {
    throw new Failure(`the kernel did not start and become idle within 60 s. Jupyter's last lines:\n  ${lastLines()}`);
  });
  const shown = (await page.textContent('.kernel_indicator_name')).trim();
  if (!/ThreadLab/.test(shown)) throw new Failure(`the kernel indicator shows '${shown}', not the ThreadLab kernel`);
  await page.mouse.click(5, 5);
}

async function runAll(page, limitMs) {
  await page.click('#celllink');
  await page.click('#run_all_cells');
  await page.waitForFunction(ALL_RUN, null, { timeout: limitMs, polling: 250 }).catch(() => {
    throw new Failure(`the kernel did not become idle within ${limitMs / 1000} s of Run All`);
  });
}

// What the browser shows for each code cell, beside what the committed notebook holds.
async function cellReport(page) {
  return page.evaluate(() => Jupyter.notebook.get_cells().map((c, i) => {
    if (c.cell_type !== 'code') return null;
    const el = c.element[0];
    const imgs = [...el.querySelectorAll('.output_area img')];
    return {
      index: i,
      source: c.get_text(),
      prompt: c.input_prompt_number,
      tags: (c.metadata.tags || []),
      types: c.output_area.outputs.map((o) => o.output_type),
      mimes: c.output_area.outputs.flatMap((o) => Object.keys(o.data || {})),
      errors: c.output_area.outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`),
      shownErrors: el.querySelectorAll('.output_error').length,
      text: el.querySelector('.output') ? el.querySelector('.output').innerText : '',
      images: imgs.map((im) => ({ w: im.naturalWidth, h: im.naturalHeight, complete: im.complete })),
    };
  }).filter(Boolean));
}

function checkOutputs(cells, committed) {
  const problems = [];
  const codeCells = committed.cells.filter((c) => c.cell_type === 'code');
  if (codeCells.length !== cells.length) problems.push(`the page has ${cells.length} code cells, the notebook ${codeCells.length}`);
  let images = 0;
  cells.forEach((cell, k) => {
    const want = codeCells[k] || { outputs: [] };
    const label = `cell ${cell.index} (${cell.source.split('\n')[0].slice(0, 50)})`;
    const wantsError = cell.tags.includes('raises-exception');
    if (cell.prompt === null || cell.prompt === undefined || cell.prompt === '*') {
      if (cell.source.trim().length > 0) problems.push(`${label} did not run (prompt [${cell.prompt ?? ' '}])`);
    }
    // every cell that printed or returned something in the committed run does so in the browser too
    if (want.outputs.length > 0 && cell.types.length === 0) problems.push(`${label} shows no output; the committed run had ${want.outputs.map((o) => o.output_type).join(', ')}`);
    if (cell.errors.length > 0 && !wantsError) problems.push(`${label} shows an error it should not: ${cell.errors.join('; ')}`);
    if (wantsError && cell.shownErrors === 0) problems.push(`${label} is tagged raises-exception but shows no error`);
    const wantImage = want.outputs.some((o) => o.data && o.data['image/png']);
    if (wantImage) {
      const ok = cell.images.filter((im) => im.complete && im.w > 0 && im.h > 0);
      if (ok.length === 0) problems.push(`${label} should show a picture; the page has ${cell.images.length} <img>, none decoded (${JSON.stringify(cell.images)})`);
      images += ok.length;
    }
  });
  const anyImage = codeCells.some((c) => c.outputs.some((o) => o.data && o.data['image/png']));
  if (!anyImage) problems.push('the committed notebook has no picture output to check: give it a chart or image cell');
  if (problems.length) throw new Failure(`${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  return images;
}

async function typeInNewCell(page, code) {
  // a new cell at the bottom, typed into as a student would
  await page.evaluate(() => {
    const nb = Jupyter.notebook;
    nb.select(nb.ncells() - 1);
    nb.insert_cell_below('code');
    nb.select_next();
    nb.edit_mode();
  });
  await page.keyboard.type(code);
  return page.evaluate(() => Jupyter.notebook.get_selected_index());
}

async function interruptBusyLoop(page) {
  const idx = await typeInNewCell(page, 'while (true) {}');
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction((i) => Jupyter.notebook.get_cell(i).input_prompt_number === '*'
      && document.querySelector('#kernel_indicator_icon').classList.contains('kernel_busy_icon'), idx, { timeout: 10_000 })
    .catch(() => { throw new Failure('the busy-loop cell never showed as running ([*] and a busy kernel)'); });
  await sleep(1000);
  const t0 = Date.now();
  await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
  // the kernel also reports idle after the interrupt request itself, which can come before the cell's
  // own reply: wait for the cell to finish, then for the kernel
  await page.waitForFunction((i) => Jupyter.notebook.get_cell(i).input_prompt_number !== '*', idx, { timeout: 10_000, polling: 100 })
    .catch(() => { throw new Failure('the busy-loop cell still shows [*] 10 s after the interrupt button was pressed'); });
  await page.waitForFunction(KERNEL_IDLE, null, { timeout: 10_000, polling: 100 })
    .catch(() => { throw new Failure('the kernel was not idle 10 s after the interrupt button was pressed'); });
  const ms = Date.now() - t0;
  const cell = await page.evaluate((i) => {
    const c = Jupyter.notebook.get_cell(i);
    return { prompt: c.input_prompt_number, errors: c.output_area.outputs.filter((o) => o.output_type === 'error').map((o) => o.ename) };
  }, idx);
  if (cell.prompt === '*') throw new Failure('the busy-loop cell still shows [*] after the interrupt');
  if (!cell.errors.includes('Interrupted')) throw new Failure(`the busy-loop cell should say it was interrupted; its errors: ${JSON.stringify(cell.errors)}`);
  return ms;
}

async function laterCellRuns(page) {
  const idx = await typeInNewCell(page, '1 + 1');
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction((i) => {
    const c = Jupyter.notebook.get_cell(i);
    return typeof c.input_prompt_number === 'number' && c.output_area.outputs.length > 0;
  }, idx, { timeout: 15_000 }).catch(() => { throw new Failure('the cell after the interrupt (1 + 1) did not finish within 15 s'); });
  const text = (await page.evaluate((i) => Jupyter.notebook.get_cell(i).element[0].querySelector('.output_subarea').innerText, idx)).trim();
  if (text !== '2') throw new Failure(`1 + 1 showed '${text}', not 2`);
}

// ---- errors and notices ---------------------------------------------------------------------

const cellDone = (page, idx, what, ms = 30_000) => page.waitForFunction((i) => {
  const c = Jupyter.notebook.get_cell(i);
  return typeof c.input_prompt_number === 'number';
}, idx, { timeout: ms }).catch(() => { throw new Failure(`${what}: the cell did not finish within ${ms / 1000} s`); });

// What cell idx shows: its outputs' types, its errors, how many are drawn as errors, its stderr text and all its text.
function outputsOf(page, idx) {
  return page.evaluate((i) => {
    const c = Jupyter.notebook.get_cell(i);
    const el = c.element[0];
    return {
      types: c.output_area.outputs.map((o) => o.output_type),
      errors: c.output_area.outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`),
      shown: el.querySelectorAll('.output_error').length,
      stderr: [...el.querySelectorAll('.output_stderr')].map((e) => e.innerText).join('\n'),
      text: el.querySelector('.output') ? el.querySelector('.output').innerText : '',
    };
  }, idx);
}

// An exception a cell throws is a Jupyter error output (the notebook's red traceback), not text.
async function exceptionIsAnError(page) {
  const idx = await typeInNewCell(page, 'throw new IllegalStateException("thrown on purpose")');
  await page.keyboard.press('Control+Enter');
  await cellDone(page, idx, 'a cell that throws');
  // the prompt number comes with the reply on the shell channel, the error on iopub: the page may get
  // the reply first (no order holds between the two; a suite run under load saw the outputs still empty)
  let out = await outputsOf(page, idx);
  for (let i = 0; i < 40 && !out.types.includes('error'); i++) { await sleep(250); out = await outputsOf(page, idx); }
  if (!out.types.includes('error')) throw new Failure(`the exception came as ${JSON.stringify(out.types)}, not as an error output`);
  if (out.shown === 0) throw new Failure('the error output is not shown as an error (.output_error)');
  if (out.stderr !== '') throw new Failure('the exception is (also) printed on stderr');
  if (!/IllegalStateException/.test(out.text) || !/thrown on purpose/.test(out.text)) {
    throw new Failure(`the error does not name the exception and its message: ${JSON.stringify(out.text.slice(0, 300))}`);
  }
  return out.errors.join('; ');
}

// An exception that ends a thread the cell started is an error output of that cell too, while the
// cell itself succeeds (its value shows, and Run All would go on): not a stack trace on stderr.
async function threadExceptionIsAnError(page) {
  const idx = await typeInNewCell(page, 'var e2eT = new Thread(() -> { throw new ArithmeticException("from a thread"); }, "e2e-failing"); e2eT.start(); e2eT.join(); "after the join"');
  await page.keyboard.press('Control+Enter');
  await cellDone(page, idx, 'a cell whose thread throws');
  const read = () => outputsOf(page, idx);
  let out = await read();
  // the error travels on the side channel and may land a moment after the reply
  // (and the cell's own value travels on iopub, which may arrive after the reply that ended the cell)
  for (let i = 0; i < 40 && !(out.types.includes('error') && out.types.includes('execute_result')); i++) { await sleep(250); out = await read(); }
  if (!out.types.includes('error')) throw new Failure(`the thread's exception came as ${JSON.stringify(out.types)}, not as an error output`);
  if (!out.types.includes('execute_result') || !/after the join/.test(out.text)) {
    throw new Failure(`the cell itself should succeed and show its value: ${JSON.stringify(out.types)}`);
  }
  if (out.shown === 0) throw new Failure('the thread\'s error output is not shown as an error (.output_error)');
  if (/Exception in thread/.test(out.stderr)) throw new Failure('the thread\'s exception is (also) printed on stderr');
  if (!/Exception in thread "e2e-failing"/.test(out.text) || !/from a thread/.test(out.text) || /\$JShell\$/.test(out.text)) {
    throw new Failure(`the error does not name the thread and the exception readably: ${JSON.stringify(out.text.slice(0, 300))}`);
  }
  return out.errors.join('; ');
}

// A thread left running gets a neutral notice (not stderr) in its cell; when the thread ends, the
// same notice says so, and the thread's late line lands in that cell, under no stale "still running".
async function noticeSettles(page) {
  const idx = await runNewCell(page, 'var e2eGo = new CountDownLatch(1); new Thread(() -> { try { e2eGo.await(); } catch (InterruptedException e) {} System.out.println("late line of e2e-waiter"); }, "e2e-waiter").start();',
    'a cell that leaves a thread running');
  const look = () => page.evaluate((i) => {
    const el = Jupyter.notebook.get_cell(i).element[0];
    return {
      text: el.querySelector('.output') ? el.querySelector('.output').innerText : '',
      stderr: [...el.querySelectorAll('.output_stderr')].map((e) => e.innerText).join('\n'),
    };
  }, idx);
  const before = await look();
  if (!before.text.includes('still running: "e2e-waiter"')) throw new Failure(`the cell shows no notice of its running thread: ${JSON.stringify(before.text.slice(0, 300))}`);
  if (before.stderr.includes('still running')) throw new Failure('the notice is shown as stderr (an alarm box)');
  const next = await typeInNewCell(page, 'e2eGo.countDown();');
  await page.keyboard.press('Control+Enter');
  await cellDone(page, next, 'ending the thread');
  await page.waitForFunction((i) => {
    const t = Jupyter.notebook.get_cell(i).element[0].querySelector('.output').innerText;
    return !t.includes('still running') && t.includes('has ended') && t.includes('late line of e2e-waiter');
  }, idx, { timeout: 15_000, polling: 100 }).catch(async () => {
    throw new Failure(`15 s after the thread ended its cell still shows: ${JSON.stringify((await look()).text.slice(0, 300))}`);
  });
  return (await look()).text.replace(/\s+/g, ' ').trim();
}

// ---- the course's links, presentation mode, MathJax -------------------------------------------

// From the index a student clicks into an exercise: the page must be that notebook, not a 404.
async function indexToExercise(ctx, jp) {
  const page = await ctx.newPage();
  try {
    await page.goto(`${jp.base}/notebooks/lectures/index.ipynb?token=${jp.token}`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded, null, { timeout: 30_000 });
    const kernel = await page.evaluate(() => Jupyter.notebook.metadata.kernelspec && Jupyter.notebook.metadata.kernelspec.name);
    if (kernel === opts.kernel) throw new Failure('the index names the Java kernel: opening it would start two JVMs for a page of links');
    const link = page.locator('#notebook-container .rendered_html a[href*="exercises/"]').first();
    if (await link.count() === 0) throw new Failure('the index shows no link into ../exercises/');
    const href = await link.getAttribute('href');
    // the notebook opens links of a markdown cell in a new tab
    const [target] = await Promise.all([
      ctx.waitForEvent('page', { timeout: 10_000 }).catch(() => null),
      link.click(),
    ]);
    const ex = target || page;
    await ex.waitForLoadState('domcontentloaded');
    const loaded = await ex.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded, null, { timeout: 30_000 })
      .then(() => true, () => false);
    const title = await ex.title();
    if (!loaded) throw new Failure(`following '${href}' from the index did not open a notebook (page title '${title}', ${ex.url().replace(jp.token, '<token>')})`);
    const where = await ex.evaluate(() => Jupyter.notebook.notebook_path);
    if (!/^exercises\/.+\.ipynb$/.test(where)) throw new Failure(`following '${href}' opened ${where}, not an exercise`);
    const cells = await ex.evaluate(() => Jupyter.notebook.ncells());
    if (target) await target.close();
    return `${href} -> ${where} (${cells} cells)`;
  } finally {
    await page.close();
    // no kernel is needed for this check: end both pages' sessions (the exercise's would start two
    // JVMs) through Jupyter's API, which works whether or not a kernel has started yet
    await endSessions(jp, (p) => p.startsWith('exercises/') || p === 'lectures/index.ipynb');
  }
}

async function endSessions(jp, which) {
  const auth = { headers: { Authorization: `token ${jp.token}` } };
  try {
    const sessions = await (await fetch(`${jp.base}/api/sessions`, auth)).json();
    for (const s of sessions) {
      if (which(s.path || (s.notebook && s.notebook.path) || '')) await fetch(`${jp.base}/api/sessions/${s.id}`, { ...auth, method: 'DELETE' });
    }
  } catch (e) {
    log(`(could not end the sessions: ${e.message}; Jupyter ends them at exit)`);
  }
}

async function runNewCell(page, code, what) {
  const idx = await typeInNewCell(page, code);
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction((i) => {
    const c = Jupyter.notebook.get_cell(i);
    return typeof c.input_prompt_number === 'number' && c.output_area.outputs.length > 0;
  }, idx, { timeout: 30_000 }).catch(() => { throw new Failure(`${what}: the cell did not finish with an output within 30 s`); });
  const errors = await page.evaluate((i) => Jupyter.notebook.get_cell(i).output_area.outputs
    .filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`), idx);
  if (errors.length) throw new Failure(`${what}: ${errors.join('; ')}`);
  return idx;
}

// A table whose text holds "$...$" pairs: the page's MathJax typesets a markdown cell with them
// (the control, so the check can fail) but must leave ThreadLab's HTML alone.
async function tableWithoutMathJax(page) {
  const ready = await page.evaluate(() => !!(window.MathJax && MathJax.Hub));
  if (!ready) throw new Failure('MathJax is not loaded on the notebook page, so this check could not tell anything: is the notebook\'s MathJax installed?');
  const idx = await runNewCell(page, 'Table.of(List.of("test", "why"), List.of(List.of("REPL.$JShell$30C$BankAccount.transfer", "costs $5 and $6")))', 'a table with $ signs');
  const control = await page.evaluate(() => {
    const nb = Jupyter.notebook;
    nb.select(nb.ncells() - 1);
    const c = nb.insert_cell_below('markdown');
    c.set_text('price $a + b$ here');
    c.render();
    return nb.find_cell_index(c);
  });
  await page.waitForFunction((i) => Jupyter.notebook.get_cell(i).element[0].querySelector('.MathJax, .MathJax_Preview, mjx-container, .MathJax_SVG'), control, { timeout: 15_000 })
    .catch(() => { throw new Failure('MathJax did not typeset "$a + b$" in a markdown cell either, so this check could not tell anything'); });
  // MathJax typesets after the output is appended: give it the time it needed for the control
  await sleep(500);
  const out = await page.evaluate((i) => {
    const el = Jupyter.notebook.get_cell(i).element[0].querySelector('.output_area');
    return {
      math: el.querySelectorAll('.MathJax, .MathJax_Preview, mjx-container, .MathJax_SVG, script[type^="math/"]').length,
      text: el.innerText,
    };
  }, idx);
  if (out.math > 0) throw new Failure(`the table's output holds ${out.math} MathJax element(s): its "$" text was typeset as maths`);
  if (!out.text.includes('costs $5 and $6')) throw new Failure(`the table does not show its text as typed: ${JSON.stringify(out.text.slice(0, 200))}`);
  if (out.text.includes('JShell')) throw new Failure(`the table shows JShell's wrapper name: ${JSON.stringify(out.text.slice(0, 200))}`);
}

// Presentation mode at 100 % and at 150 % zoom (the CSS viewport shrinks and each CSS pixel takes
// 1.5 device pixels, as Chromium's zoom does): the chart must take more device pixels at 150 %.
async function presentationZoom(page) {
  const idx = await runNewCell(page, 'present(true);\nbar("Wall time", new TreeMap<>(Map.of("1 thread", 400, "4 threads", 120)), "ms")', 'presentation mode');
  const chartWidth = () => page.evaluate((i) => {
    const svg = Jupyter.notebook.get_cell(i).element[0].querySelector('svg.threadlab-chart');
    return svg ? svg.getBoundingClientRect().width * window.devicePixelRatio : -1;
  }, idx);
  const cdp = await page.context().newCDPSession(page);
  const at = async (zoom) => {
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: Math.round(1600 / zoom), height: Math.round(1000 / zoom), deviceScaleFactor: zoom, mobile: false });
    await sleep(300);
    return chartWidth();
  };
  try {
    const w100 = await at(1);
    if (w100 < 0) throw new Failure('presentation mode shows no SVG chart (svg.threadlab-chart)');
    const code = await page.evaluate((i) => parseFloat(getComputedStyle(Jupyter.notebook.get_cell(i).element[0].querySelector('.CodeMirror')).fontSize), idx);
    if (!(code >= 20)) throw new Failure(`code in presentation mode is ${code}px, not larger`);
    const w150 = await at(1.5);
    {
      fs.mkdirSync(opts.out, { recursive: true });
      const cell = page.locator('#notebook-container > .cell').nth(idx);
      await cell.scrollIntoViewIfNeeded();
      await cell.screenshot({ path: path.join(opts.out, 'present-150.png') });
    }
    if (!(w150 > w100 * 1.2)) throw new Failure(`the chart takes ${w100.toFixed(0)} device px at 100 % and ${w150.toFixed(0)} at 150 %: it should grow with the zoom`);
    return `chart ${w100.toFixed(0)} -> ${w150.toFixed(0)} device px, code ${code}px`;
  } finally {
    await cdp.send('Emulation.clearDeviceMetricsOverride').catch(() => {});
    await runNewCell(page, 'present(false)', 'leaving presentation mode').catch(() => {});
    await cdp.detach().catch(() => {});
  }
}

// ---- screenshots ----------------------------------------------------------------------------

async function screenshotCell(page, index, file) {
  const cell = page.locator('#notebook-container > .cell').nth(index);
  await cell.scrollIntoViewIfNeeded();
  await cell.screenshot({ path: file });
  log(`screenshot ${path.relative(ROOT, file)}`);
}

// The README's pictures: e2e/showcase.ipynb measures a speed-up chart and runs the live monitor.
async function readmeScreenshots(page, jp) {
  fs.mkdirSync(opts.screenshots, { recursive: true });
  // tall enough that a cell with a chart fits whole: an element screenshot stops at the window
  await page.setViewportSize({ width: 1200, height: 1800 });
  // one kernel at a time on a small machine: end the lesson's before opening the showcase
  await page.evaluate(() => new Promise((resolve) => Jupyter.notebook.session.delete(resolve, resolve)));
  await page.goto(`${jp.base}/notebooks/showcase.ipynb?token=${jp.token}`, { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded, null, { timeout: 30_000 });
  await page.waitForFunction(KERNEL_IDLE, null, { timeout: 60_000 });
  const monitorIdx = await page.evaluate(() => Jupyter.notebook.get_cells().findIndex((c) => /monitor\(/.test(c.get_text())));
  const chartIdx = await page.evaluate(() => Jupyter.notebook.get_cells().findIndex((c) => /speedup\(/.test(c.get_text())));
  await page.click('#celllink');
  await page.click('#run_all_cells');
  // the monitor's table is updated in place while its threads run: catch it with rows in it
  await page.waitForFunction((i) => {
    const c = Jupyter.notebook.get_cell(i);
    // header, the cell's thread and its four
    return c.input_prompt_number === '*' && c.element[0].querySelectorAll('.output_area table tr').length >= 6;
  }, monitorIdx, { timeout: 60_000, polling: 100 }).catch(() => {
    throw new Failure('the monitor cell of e2e/showcase.ipynb showed no live table of its threads');
  });
  await sleep(300);
  await screenshotCell(page, monitorIdx, path.join(opts.screenshots, 'monitor.png'));
  // class sizes: as long as the time limit allows on a busy machine
  const left = opts.timeLimit * 1000 - (Date.now() - started) - 20_000;
  await page.waitForFunction(ALL_RUN, null, { timeout: Math.max(90_000, left), polling: 250 });
  const imgs = await page.evaluate((i) => [...Jupyter.notebook.get_cell(i).element[0].querySelectorAll('.output_area img')]
    .filter((im) => im.complete && im.naturalWidth > 0).length, chartIdx);
  if (imgs === 0) throw new Failure('the chart cell of e2e/showcase.ipynb shows no picture');
  await screenshotCell(page, chartIdx, path.join(opts.screenshots, 'chart.png'));
}

async function failureScreenshots(reason) {
  if (!state.page) return;
  try {
    fs.mkdirSync(opts.out, { recursive: true });
    const top = path.join(opts.out, 'failure-viewport.png');
    await state.page.screenshot({ path: top, timeout: 10_000 });
    // the notebook scrolls inside the page: a window as tall as the notebook shows all of it
    const file = path.join(opts.out, 'failure.png');
    const h = await state.page.evaluate(() => {
      const nb = document.querySelector('#notebook');
      return nb ? nb.scrollHeight + 200 : document.body.scrollHeight;
    });
    await state.page.setViewportSize({ width: 1200, height: Math.min(Math.max(h, 900), 16_000) });
    await state.page.screenshot({ path: file, timeout: 10_000 });
    fs.writeFileSync(path.join(opts.out, 'failure.txt'), reason + '\n\nJupyter log:\n' + state.jupyterLog.join('\n') + '\n');
    log(`screenshots: ${path.relative(process.cwd(), file)}, ${path.relative(process.cwd(), top)}; Jupyter's log: ${path.relative(process.cwd(), path.join(opts.out, 'failure.txt'))}`);
  } catch (e) {
    log(`(no screenshot: ${String(e.message).split('\n')[0]})`);
  }
}

// ---- main -----------------------------------------------------------------------------------

async function cleanup() {
  if (state.browser) {
    await Promise.race([state.browser.close().catch(() => {}), sleep(5000)]);
  }
  await stopJupyter();
  if (state.tmp) fs.rmSync(state.tmp, { recursive: true, force: true });
}

async function finish(code, message) {
  if (state.done) return;
  state.done = true;
  if (code !== 0) {
    console.error(`\ne2e FAILED: ${message}`);
    await failureScreenshots(message);
  }
  await cleanup();
  if (code === 0) log(message);
  process.exit(code);
}

async function main() {
  fs.rmSync(path.join(opts.out, 'failure.png'), { force: true });
  checkChromium();
  const chromium = await loadPlaywright();
  const jp = await step(`Jupyter Notebook on loopback with a token (${opts.python})`, startJupyter);
  state.browser = await step('Chromium headless', () => chromium.launch({
    executablePath: opts.chromium, args: CHROMIUM_FLAGS, headless: true, timeout: 30_000,
  }));
  const ctx = await state.browser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  const page = await ctx.newPage();
  state.page = page;
  page.setDefaultTimeout(20_000);
  const followed = await step('the index opens without a Java kernel and links into an exercise', () => indexToExercise(ctx, jp));
  log(`  ${followed}`);
  await step(`open a copy of ${path.relative(ROOT, opts.notebook)}`, () => openNotebook(page, jp));
  await step(`pick the kernel '${opts.kernel}'`, () => pickKernel(page));
  const left = opts.timeLimit * 1000 - (Date.now() - started) - 30_000;
  await step('Run All, wait for idle', () => runAll(page, Math.max(10_000, left)));
  const cells = await cellReport(page);
  const committed = JSON.parse(fs.readFileSync(opts.notebook, 'utf8'));
  const images = await step('every cell has its output, pictures arrived, errors only where expected', () => checkOutputs(cells, committed));
  const ms = await step('interrupt button stops a busy loop', () => interruptBusyLoop(page));
  await step('a later cell still runs', () => laterCellRuns(page));
  const error = await step('an exception renders as an error output', () => exceptionIsAnError(page));
  log(`  ${error}`);
  const threadError = await step('an exception in a thread renders as an error output of its cell', () => threadExceptionIsAnError(page));
  log(`  ${threadError}`);
  const notice = await step('the "still running" notice is neutral and says when the thread ended', () => noticeSettles(page));
  log(`  ${notice}`);
  await step('an HTML table with $ signs is not typeset by MathJax', () => tableWithoutMathJax(page));
  const zoom = await step('presentation mode: larger code, and a chart that grows with the zoom', () => presentationZoom(page));
  log(`  ${zoom}`);
  if (opts.screenshots) await step(`README screenshots in ${path.relative(ROOT, opts.screenshots)}`, () => readmeScreenshots(page, jp));
  return `all checks passed: ${cells.length} code cells, ${images} picture(s), interrupt to idle in ${ms} ms`;
}

const watchdog = setTimeout(() => {
  finish(1, `the browser test passed its time limit of ${opts.timeLimit} s (--time-limit) during '${state.step}'; it was stopped so CI does not hang`);
}, opts.timeLimit * 1000);
watchdog.unref();
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => finish(1, `stopped by ${sig}`));

main().then((msg) => finish(0, msg), (e) => finish(1, e instanceof Failure ? e.message : (e.stack || String(e))));
