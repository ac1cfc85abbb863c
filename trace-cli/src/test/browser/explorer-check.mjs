// Drives the trace explorer in headless Chromium for ExplorerITCase: search, graph, re-centre,
// live alert, recall view, CSV and XLSX downloads, screenshot, a unit by its serial number and
// the exposure view of its batch with its downloads. Prints progress lines and one
// "RESULT {json}" line with what the page showed; the Java test asserts on it.
// usage: node explorer-check.mjs BASE_URL OUT_DIR LIVE_ALERT_ID
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';
import fs from 'node:fs';
import path from 'node:path';

const [base, outDir, liveAlertId] = process.argv.slice(2);
const result = { errors: [] };
const timeout = 30000;

async function graph(page) {
  return page.$eval('#graph', (svg) => ({
    center: svg.dataset.center,
    nodes: [...svg.querySelectorAll('g.node')].map((g) => g.dataset.id),
    edges: [...svg.querySelectorAll('path.edge')].map((p) => p.dataset.from + ' -> ' + p.dataset.to),
    held: [...svg.querySelectorAll('g.node[data-held="true"]')].map((g) => g.dataset.id),
    marks: [...svg.querySelectorAll('g.node')].flatMap((g) => [...g.querySelectorAll('text')]
      .filter((t) => /HOLD|QC FAIL/.test(t.textContent)).map((t) => g.dataset.id + ' ' + t.textContent)),
  }));
}

// Clicks a download link and waits for the file (Chromium renames its partial file when done).
// Returns the text (encoding given) or the file's path; null when it did not arrive.
async function download(page, selector, dir, name, encoding) {
  const file = path.join(dir, name);
  fs.rmSync(file, { force: true });
  await page.click(selector);
  for (let i = 0; i < 100 && !fs.existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
  if (!fs.existsSync(file)) return null;
  return encoding ? fs.readFileSync(file, encoding) : file;
}

const browser = await puppeteer.launch({
  executablePath: await chromium.executablePath(),
  args: chromium.args,
  headless: true,
  defaultViewport: { width: 1500, height: 1000 },
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeout);
  page.on('pageerror', (e) => result.errors.push('pageerror: ' + e.message));
  page.on('console', (m) => {
    const where = (m.location() && m.location().url) || '';
    // the unknown lot of step 7 answers 404 on purpose
    if (m.type() === 'error' && !where.includes('NO-SUCH-LOT')) result.errors.push('console: ' + m.text() + ' ' + where);
  });

  // 1. the search box: supplier SUP-POLY's lot L2611-01
  await page.goto(base + '/', { waitUntil: 'domcontentloaded' });
  await page.type('#q', 'SUP-POLY/L2611-01');
  await page.click('#search button');
  await page.waitForSelector('#lot-results');
  result.searchUrl = page.url();
  result.searchLots = await page.$$eval('#lot-results tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
  result.searchShipments = await page.$$eval('#shipment-results tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));

  // 2. open the lot: its genealogy drawn
  await page.click('#lot-results a[href="/lot/RM-261102-01"]');
  await page.waitForFunction(() => document.querySelector('#graph')?.dataset.center === 'lot:RM-261102-01');
  result.resin = { url: page.url(), ...(await graph(page)) };
  console.log('graph of RM-261102-01: ' + result.resin.nodes.length + ' nodes');

  // 3. click a node: the graph re-centres on it and the URL follows
  await page.click('#graph g.node[data-id="lot:FG-261102-01"]');
  await page.waitForFunction(() => document.querySelector('#graph')?.dataset.center === 'lot:FG-261102-01');
  result.finished = { url: page.url(), ...(await graph(page)) };

  // 4. an alert raised now reaches the open page
  // the sample day's six open alerts come first, as history
  await page.waitForFunction(() => document.querySelectorAll('#alerts li').length >= 6);
  result.alertsBefore = await page.$$eval('#alerts li', (lis) => lis.length);
  // the README's picture: the sample day only, before the test's own alert
  await page.screenshot({ path: path.join(outDir, 'explorer.png') });
  console.log('READY_FOR_ALERT');
  await page.waitForSelector(`#alerts li[data-alert-id="${liveAlertId}"]`, { timeout: 20000 });
  result.liveAlert = await page.$eval(`#alerts li[data-alert-id="${liveAlertId}"]`, (li) => li.textContent);

  // 5. browser back returns to the previous lot (every view is a URL)
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#graph')?.dataset.center === 'lot:RM-261102-01');
  result.backUrl = page.url();

  // 6. the recall view and its CSV download
  await page.click('a[href="/recall/RM-261102-01"]');
  await page.waitForSelector('#recall-customers');
  result.recallUrl = page.url();
  result.recallShipments = await page.$$eval('#recall-shipments tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
  const downloads = path.join(outDir, 'downloads');
  fs.mkdirSync(downloads, { recursive: true });
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
  result.csv = await download(page, '#csv-customers', downloads, 'recall-RM-261102-01-customers.csv', 'utf8');
  // the same report as one spreadsheet (the Java test reads the file)
  result.recallXlsx = await download(page, '#xlsx-recall', downloads, 'recall-RM-261102-01.xlsx', null);

  // 7. a pasted URL opens the view directly: the lot that failed QC
  await page.goto(base + '/lot/FG-261102-02', { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(() => document.querySelector('#graph')?.dataset.center === 'lot:FG-261102-02');
  result.direct = await graph(page);
  await page.goto(base + '/lot/NO-SUCH-LOT', { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#error');
  result.unknown = await page.$eval('#error', (e) => e.textContent);

  // 8. the Wednesday call: a unit's serial number in the search box finds its unit
  await page.goto(base + '/', { waitUntil: 'domcontentloaded' });
  await page.type('#q', 'TC100-000612');
  await page.click('#search button');
  await page.waitForSelector('#unit-results');
  result.unitSearchUrl = page.url();
  result.units = await page.$$eval('#unit-results tbody tr', (trs) => trs.map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent)));

  // 9. who else is exposed: the exposure view of its batch, its CSV and spreadsheet downloads
  await page.click('#unit-results a[href="/exposure/FG-261102-02"]');
  await page.waitForSelector('#exposure-customers');
  result.exposureUrl = page.url();
  result.exposureRawLots = await page.$$eval('#exposure-raw-lots tbody tr td:nth-child(2)', (tds) => tds.map((t) => t.textContent));
  result.exposureCustomers = await page.$$eval('#exposure-customers tbody tr td:first-child', (tds) => tds.map((t) => t.textContent));
  result.exposureCsv = await download(page, '#csv-exposure-customers', downloads, 'FG-261102-02-exposure-customers.csv', 'utf8');
  result.exposureXlsx = await download(page, '#xlsx-exposure', downloads, 'FG-261102-02-exposure.xlsx', null);
} catch (e) {
  result.errors.push('failed: ' + e.message);
} finally {
  await browser.close();
}
console.log('RESULT ' + JSON.stringify(result));
