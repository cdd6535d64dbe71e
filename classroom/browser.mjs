// The classroom's browser check: a student logs in through the Hub's login page in headless
// Chromium, opens a notebook on their own server and runs a cell in the ThreadLab kernel.
//   node classroom/browser.mjs --url http://127.0.0.1:PORT --user NAME --password-file FILE --notebook PATH
// (the password comes from a file, never from the command line other users' ps can read)
// Prints one JSON line: {"ok": true, "output": "..."} or {"ok": false, "error": "..."}; exit 0 or 1.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (i % 2 ? a : [...a, [v.replace(/^--/, ''), all[i + 1]]]), []));
const chromiumPath = args.chromium || process.env.CHROMIUM || '/usr/bin/chromium';
const T = 120_000;  // a loaded 2-core machine: generous, the test's own time limit bounds the whole

async function main() {
  const { chromium } = await import(path.join(ROOT, 'e2e/node_modules/playwright-core/index.mjs'));
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, timeout: 60_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(T);
    await page.goto(`${args.url}/hub/login`);
    await page.fill('#username_input', args.user);
    await page.fill('#password_input', fs.readFileSync(args['password-file'], 'utf8').trim());
    await Promise.all([page.waitForURL(new RegExp(`/user/${args.user}/`), { timeout: T }), page.click('#login_submit')]);
    await page.goto(`${args.url}/user/${args.user}/notebooks/${args.notebook}`);
    await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel
      && Jupyter.notebook.kernel.info_reply && Jupyter.notebook.kernel.info_reply.status === 'ok');
    await page.evaluate(() => { Jupyter.notebook.select(0); Jupyter.notebook.get_cell(0).focus_editor(); });
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => { const c = Jupyter.notebook.get_cell(0);
      return typeof c.input_prompt_number === 'number' && c.output_area.outputs.length > 0; });
    const out = await page.evaluate(() => Jupyter.notebook.get_cell(0).output_area.outputs
      .map((o) => o.text || (o.data && o.data['text/plain']) || `${o.ename}: ${o.evalue}`).join(''));
    console.log(JSON.stringify({ ok: true, output: out }));
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.log(JSON.stringify({ ok: false, error: String(e.message || e).split('\n')[0] })); process.exit(1); });
