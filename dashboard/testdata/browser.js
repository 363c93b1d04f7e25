// browser.js LINK OUTDIR [status]: opens a gokist dashboard link in headless Chromium (Debian's,
// driven by playwright-core) while a compute runs, and prints what it saw as JSON: the
// progress of one running pass read twice a second apart, the bars in the task stream,
// the workers and memory pages; screenshots go to OUTDIR. dashboard's browser test
// runs it (TestBrowserSeesComputeLive).
const { chromium } = require('playwright-core');
const path = require('path');
const [link, out, mode] = process.argv.slice(2); // mode "status": the status page only

// otherPages visits the workers and memory pages from the status page.
async function otherPages(page, result) {
  await page.click('nav a[href="workers"]');
  await page.waitForFunction(() => document.querySelectorAll('#workers tbody tr').length >= 2 &&
    [...document.querySelectorAll('#workers tbody tr')].some(r => parseFloat(r.children[2].textContent) > 0), null, { timeout: 30000 });
  result.workers = await page.$$eval('#workers tbody tr', rs => rs.map(r => [...r.children].map(c => c.textContent)));
  await page.screenshot({ path: path.join(out, 'workers.png') });

  await page.click('nav a[href="memory"]');
  await page.waitForFunction(() => document.querySelectorAll('#memory tbody tr').length >= 4, null, { timeout: 30000 });
  result.memory = await page.$$eval('#memory tbody tr', rs => rs.map(r => r.textContent));
  await page.screenshot({ path: path.join(out, 'memory.png') });
}

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-crash-reporter', '--disable-breakpad'] });
  const result = { errors: [], requests: [] };
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    page.on('pageerror', e => result.errors.push(e.message));
    page.on('console', m => { if (m.type() === 'error') result.errors.push('console: ' + m.text()); });
    page.on('request', r => result.requests.push(r.url()));
    // One evaluation reads the bars: $$eval would query them first and call back later,
    // when an event may have replaced them (detached elements measure 0). The reader is
    // installed as an init script: the page's CSP forbids eval, which a string predicate
    // of waitForFunction needs when it polls.
    await page.addInitScript(() => {
      window.readPasses = () => [...document.querySelectorAll('#progress .pass')].map(p => ({
        id: +p.dataset.id, text: p.querySelector('.text').textContent, done: +p.dataset.done, total: +p.dataset.total,
        ended: p.classList.contains('ended'),
        filled: p.querySelector('.bar > div').getBoundingClientRect().width / p.querySelector('.bar').getBoundingClientRect().width }));
    });
    await page.goto(link);
    const passes = () => page.evaluate(() => window.readPasses());
    // A running pass with work left: its done count, then again a second later.
    // The wait returns the running pass it found: reading it again afterwards could find
    // it finished on a fast machine.
    const found = await page.waitForFunction(() => window.readPasses().find(p => !p.ended && p.total - p.done > 10),
      null, { timeout: 60000 });
    result.first = await found.jsonValue();
    await page.waitForTimeout(1000);
    result.second = (await passes()).find(p => p.id === result.first.id) || null;
    await page.waitForFunction(() => +document.getElementById('stream').dataset.bars >= 20, null, { timeout: 60000 });
    result.bars = +(await page.$eval('#stream', c => c.dataset.bars));
    result.events = +(await page.evaluate(() => document.body.dataset.events));
    result.legend = await page.$eval('#legend', l => l.textContent);
    result.status = path.join(out, 'status.png');
    await page.screenshot({ path: result.status });
    if (mode !== 'status') await otherPages(page, result);
  } catch (e) {
    result.errors.push(String(e));
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(result));
})();
