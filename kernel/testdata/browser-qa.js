// browser-qa.js: exploratory check of the gokist kernel in a real notebook front end.
// Not part of `make test` (it needs a browser and a notebook server). It drives the
// classic Jupyter Notebook in headless Chromium and leaves screenshots to look at.
//
// Set up once (Debian, as root), then run:
//   apt-get install jupyter-notebook chromium
//   (cd /tmp/pw && npm install playwright-core)
//   go build -o /tmp/gokist ./cmd/gokist && /tmp/gokist install --user
//   jupyter-notebook --no-browser --ip=127.0.0.1 --port=8899 --NotebookApp.token=qa \
//       --allow-root --notebook-dir=/tmp &
//   NODE_PATH=/tmp/pw/node_modules node kernel/testdata/browser-qa.js /tmp/qa-shots
// It needs the sample dataset (`gokist sample`). Look at the PNGs it writes: a progress
// bar mid-compute, errors with their caret, the pager, Tab completion, an interrupt.
const { chromium } = require('playwright-core');
const fs = require('fs');
const out = process.argv[2] || '/tmp/qa-shots';
const base = 'http://127.0.0.1:8899', tok = 'token=qa';
(async () => {
  fs.mkdirSync(out, { recursive: true });
  const nb = { type: 'notebook', content: { nbformat: 4, nbformat_minor: 5, cells: [],
    metadata: { kernelspec: { name: 'gokist', display_name: 'gokist', language: 'gokist' } } } };
  await fetch(`${base}/api/contents/gokist-qa.ipynb?${tok}`, { method: 'PUT', body: JSON.stringify(nb) });
  const ctx = await chromium.launchPersistentContext(fs.mkdtempSync('/tmp/chr-'), {
    executablePath: '/usr/bin/chromium', headless: true, viewport: { width: 1200, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'] });
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('pageerror', e => console.log('page error:', e.message));
  await page.goto(`${base}/notebooks/gokist-qa.ipynb?${tok}`);
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
    Jupyter.notebook.kernel.is_connected(), null, { timeout: 30000 });
  const idle = () => page.waitForFunction(() => document.querySelector('#kernel_indicator_icon').className.includes('idle') &&
    !Jupyter.notebook.get_cells().some(c => c.input_prompt_number === '*'), null, { timeout: 60000 });
  const run = code => page.evaluate(code => {  // a new cell at the bottom, run; its index
    const c = Jupyter.notebook.insert_cell_at_bottom('code'); c.set_text(code);
    const i = Jupyter.notebook.find_cell_index(c); Jupyter.notebook.select(i); c.execute(); return i;
  }, code);
  const shot = async (i, name) => { const el = (await page.$$('.cell'))[i]; await el.scrollIntoViewIfNeeded(); await el.screenshot({ path: `${out}/${name}.png` }); };
  const typeInNewCell = async text => {
    await page.evaluate(() => { const c = Jupyter.notebook.insert_cell_at_bottom('code');
      Jupyter.notebook.select(Jupyter.notebook.find_cell_index(c)); Jupyter.notebook.edit_mode(); c.code_mirror.focus(); });
    await page.keyboard.type(text);
  };
  let i = await run('ds = Dataset.from_directory("~/sunpy/data/VISP/AGLKO")\nds'); await idle(); await shot(i, 'dataset');
  i = await run('(ds.data * 2).std(axis=(1, 3)).compute().shape');
  await page.waitForTimeout(1200); await shot(i, 'progress-running'); await idle(); await shot(i, 'progress-done');
  i = await run('b = ds[0].rebin((1, 1, 10))'); await idle(); await shot(i, 'error-caret');
  i = await run('ds.rebin?'); await idle(); await page.waitForTimeout(500); await page.screenshot({ path: `${out}/pager.png` });
  await page.evaluate(() => Jupyter.pager.collapse());
  await typeInNewCell('ds.data.s'); await page.keyboard.press('Tab'); await page.waitForTimeout(1000);
  console.log('completions of ds.data.s:', await page.$$eval('#complete select option', os => os.map(o => o.textContent)));
  await page.screenshot({ path: `${out}/completion.png` }); await page.keyboard.press('Escape');
  i = await run('(ds.data * 3).std(axis=(1, 3)).compute()');
  await page.waitForTimeout(1000);
  const t0 = Date.now();
  await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
  await idle(); console.log('interrupt to idle:', (Date.now() - t0) / 1000, 's'); await shot(i, 'interrupted');
  i = await run('1 + 1'); await idle(); await shot(i, 'after-interrupt');
  await ctx.close();
  console.log('screenshots in', out);
})().catch(e => { console.error(e); process.exit(1); });
