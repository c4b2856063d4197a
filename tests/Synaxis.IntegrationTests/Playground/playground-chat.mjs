// Opens the playground, enters the key, picks the model, sends a message and watches the answer stream in.
import { withPage, watchText } from './browser.mjs';

const { PAGE_URL, API_KEY, MODEL, PROMPT, SCREENSHOT } = process.env;

await withPage(async (page) => {
  const response = await page.goto(PAGE_URL);
  await page.fill('#api-key', API_KEY);
  await page.click('#reload-models');
  await page.waitForSelector(`#model option[value="${MODEL}"]`, { state: 'attached' });
  await page.selectOption('#model', MODEL);
  await page.fill('#prompt', PROMPT);
  await page.click('#send');

  const states = await watchText(page, '.message.assistant .content', '.message.assistant[data-state]:not([data-state="streaming"]) .stats');
  const stats = await page.$$eval('.message.assistant .stats dd', (items) => Object.fromEntries(items.map((d) => [d.dataset.stat, d.textContent])));
  const state = await page.$eval('.message.assistant', (m) => m.dataset.state);
  const error = await page.$eval('.message.assistant', (m) => m.querySelector('.error')?.textContent ?? null);
  const storage = await page.evaluate(() => ({
    session: sessionStorage.getItem('synaxis.apiKey'),
    localItems: localStorage.length,
    cookies: document.cookie,
  }));
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  return { status: response.status(), states, stats, state, error, storage };
});
