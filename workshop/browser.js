// browser.js: a student in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core from the repository's node_modules) on the classic Notebook. Run by
// browser_test.go as `node browser.js CONFIG`, CONFIG being JSON:
//   {"url", "token", "tutorials": ["quickstart.ipynb", ...], "checks": "checks.ipynb", "shots": DIR}
// Each tutorial is opened and run with Cell > Run All; the checks notebook is used cell
// by cell: a compute whose progress bar is watched, a long loop stopped with the
// toolbar's interrupt button, the cell after it, Tab completion of `ds.re` and the pager
// of `ds.rebin?`. It prints one JSON report on stdout; progress goes to stderr.
'use strict';
const path = require('path');
const { chromium } = require(path.join(__dirname, '..', 'node_modules', 'playwright-core'));

const cfg = JSON.parse(process.argv[2]);
const log = (...a) => console.error('[browser]', ...a);

// The code cells' prompts, outputs and images as the page shows them.
async function cells(page) {
  return page.$$eval('.cell.code_cell', (els) => els.map((el) => ({
    prompt: (el.querySelector('.input_prompt') || {}).textContent || '',
    source: el.querySelector('.CodeMirror') ? el.querySelector('.CodeMirror').CodeMirror.getValue() : '',
    errors: [...el.querySelectorAll('.output_error')].map((e) => e.textContent.slice(0, 500)),
    text: [...el.querySelectorAll('.output_subarea')].map((e) => e.textContent).join('\n').slice(0, 2000),
    images: [...el.querySelectorAll('.output_png img')].map((img) => ({ w: img.naturalWidth, h: img.naturalHeight, complete: img.complete })),
  })));
}

async function open(page, name) {
  await page.goto(`${cfg.url}/notebooks/${name}?token=${cfg.token}`);
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
    Jupyter.notebook.kernel.is_connected() && document.querySelector('#kernel_indicator_icon.kernel_idle_icon'), null, { timeout: 120000 });
  log('opened', name);
}

// waitDone waits until the code cells given (all when null) have a number in their prompt
// and the kernel is idle, and the page's outputs then stay as they are for a moment:
// execute_reply and the outputs travel on different channels (shell, iopub), so a
// prompt's number may show before the cell's last display.
async function waitDone(page, which, timeout) {
  const snapshot = () => page.$$eval('.cell.code_cell', (els) => els.map((el) =>
    el.querySelector('.input_prompt').textContent + el.querySelectorAll('.output_area').length + el.querySelectorAll('img').length).join('|'));
  for (const t0 = Date.now(); ;) {
    await waitDoneOnce(page, which, Math.max(1000, timeout - (Date.now() - t0)));
    const before = await snapshot();
    await page.waitForTimeout(750);
    if (await snapshot() === before) return;
    if (Date.now() - t0 > timeout) throw new Error(`the outputs kept changing for ${timeout} ms`);
  }
}

async function waitDoneOnce(page, which, timeout) {
  await page.waitForFunction((which) => {
    const els = [...document.querySelectorAll('.cell.code_cell')];
    const picked = which === null ? els : which.map((i) => els[i]);
    return picked.every((el) => /In\s*\[\d+\]/.test(el.querySelector('.input_prompt').textContent)) &&
      document.querySelector('#kernel_indicator_icon.kernel_idle_icon');
  }, which, { timeout, polling: 100 });
}

async function shot(page, name) {
  const file = path.join(cfg.shots, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// runCell runs code cell i as a student does: click into it, Shift+Enter.
async function runCell(page, i) {
  await page.locator('.cell.code_cell').nth(i).locator('.CodeMirror').click();
  await page.keyboard.press('Shift+Enter');
}

async function tutorial(page, name) {
  await open(page, name);
  await page.click('#celllink');
  await page.click('#run_all_cells');
  await waitDone(page, null, 600000);
  const out = { name, cells: await cells(page) };
  out.screenshot = await shot(page, name.replace(/\.ipynb$/, ''));
  return out;
}

// progress runs code cell i and samples its progress bar until the cell is done.
async function progress(page, i) {
  await runCell(page, i);
  const seen = [];
  let midShot = '';
  for (const t0 = Date.now(); Date.now() - t0 < 300000;) {
    const s = await page.locator('.cell.code_cell').nth(i).evaluate((el) => {
      const bar = el.querySelector('.gokist-progress progress');
      const div = el.querySelector('.gokist-progress');
      return { value: bar ? Number(bar.getAttribute('value')) : null, max: bar ? Number(bar.getAttribute('max')) : null,
        text: div ? div.textContent : '', done: /In\s*\[\d+\]/.test(el.querySelector('.input_prompt').textContent) };
    });
    if (s.value !== null && (seen.length === 0 || seen[seen.length - 1].value !== s.value)) {
      seen.push(s);
      if (!midShot) midShot = await shot(page, 'progress-running');
    }
    if (s.done) return { bars: seen, final: s.text, screenshots: [midShot, await shot(page, 'progress-finished')].filter(Boolean) };
    await page.waitForTimeout(40);
  }
  throw new Error('the progress cell did not finish in 300 s');
}

// interrupt starts the long cell i, clicks the toolbar's interrupt button once it
// computes, and runs cell i+1 after it.
async function interrupt(page, i) {
  await runCell(page, i);
  await page.locator('.cell.code_cell').nth(i).locator('.gokist-progress').first().waitFor({ timeout: 120000 });
  const clicked = Date.now();
  await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
  await waitDoneOnce(page, [i], 60000);
  const stoppedAfter = (Date.now() - clicked) / 1000;
  await waitDone(page, [i], 60000);
  const screenshot = await shot(page, 'interrupted');
  await runCell(page, i + 1);
  await waitDone(page, [i + 1], 60000);
  const all = await cells(page);
  return { stoppedAfter, interrupted: all[i], next: all[i + 1], screenshot };
}

// complete types `ds.re` into a new cell and presses Tab.
async function complete(page) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await page.keyboard.press('Enter');
  await page.keyboard.type('ds.re');
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.querySelector('.completions select option') ||
    Jupyter.notebook.get_selected_cell().get_text() !== 'ds.re', null, { timeout: 30000 });
  const options = await page.$$eval('.completions select option', (os) => os.map((o) => o.textContent));
  const text = await page.evaluate(() => Jupyter.notebook.get_selected_cell().get_text());
  const screenshot = await shot(page, 'completion');
  await page.keyboard.press('Escape');
  return { options, text, screenshot };
}

// help runs `ds.rebin?` in a new cell and reads the pager.
async function help(page) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await page.keyboard.press('Enter');
  await page.keyboard.type('ds.rebin?');
  await page.keyboard.press('Shift+Enter');
  await page.locator('#pager-contents').waitFor({ state: 'visible', timeout: 60000 });
  await page.waitForFunction(() => document.querySelector('#pager-contents').textContent.trim() !== '', null, { timeout: 60000 });
  await page.waitForTimeout(1000); // the pager slides up
  return { pager: (await page.textContent('#pager-contents')).slice(0, 2000), screenshot: await shot(page, 'pager') };
}

async function main() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const report = { tutorials: [] };
  try {
    // A page per notebook, as a student opens each in its own tab.
    const newPage = async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.on('dialog', (d) => { log('dialog:', d.type(), d.message()); d.dismiss(); });
      return page;
    };
    for (const name of cfg.tutorials) {
      const page = await newPage();
      report.tutorials.push(await tutorial(page, name));
      await page.close();
    }
    const page = await newPage();
    await open(page, cfg.checks);
    await runCell(page, 0);
    await waitDone(page, [0], 120000);
    report.setup = (await cells(page))[0];
    report.progress = await progress(page, 1);
    report.interrupt = await interrupt(page, 2);
    report.completion = await complete(page);
    report.help = await help(page);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report));
}

main().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
