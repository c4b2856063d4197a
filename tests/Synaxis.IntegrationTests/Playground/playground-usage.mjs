// Opens the playground's usage view: first without a key (an error is shown), then with the key and a period.
import { withPage } from './browser.mjs';

const { PAGE_URL, API_KEY, START, END, SCREENSHOT } = process.env;

await withPage(async (page) => {
  await page.goto(PAGE_URL);
  await page.click('#load-usage');
  await page.waitForFunction(() => document.querySelector('#usage-status').textContent.startsWith('Could not load usage'));
  const withoutKey = await page.textContent('#usage-status');

  await page.fill('#api-key', API_KEY);
  await page.fill('#usage-start', START);
  await page.fill('#usage-end', END);
  await page.click('#load-usage');
  await page.waitForSelector('#usage-result:not([hidden])');
  const read = () =>
    page.evaluate(() => ({
      totals: Object.fromEntries([...document.querySelectorAll('#usage-totals dd')].map((d) => [d.dataset.stat, d.textContent])),
      models: [...document.querySelectorAll('#usage-models tbody tr')].map((tr) => [...tr.cells].map((td) => td.textContent)),
      bars: [...document.querySelectorAll('#usage-chart rect.bar')].map((r) => ({
        date: r.dataset.date,
        value: Number(r.dataset.value),
        height: Number(r.getAttribute('height')),
        title: r.querySelector('title').textContent,
      })),
      status: document.querySelector('#usage-status').textContent,
    }));
  const tokens = await read();
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  await page.selectOption('#usage-metric', 'cost');
  const cost = await read();
  return { withoutKey, tokens, cost };
});
