// Shared by the page tests' scripts (tests/Synaxis.IntegrationTests/Playground): the system's Chromium,
// driven headless by playwright-core, with bounded waits and a browser that is always closed.
import { chromium } from 'playwright-core';

/** Launches Chromium, runs `work(page)`, always closes the browser, and prints the result as one JSON line. */
export async function withPage(work) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH,
    headless: true,
    // Containers run tests as root, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
    timeout: 30_000,
  });
  const problems = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // Script errors and CSP refusals count; an HTTP error status is the browser noting an answer the page handles.
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
    });
    const result = await work(page);
    console.log(JSON.stringify({ ...result, problems }));
  } finally {
    await browser.close();
  }
}

/**
 * Samples the text of the last element matching `textSelector` every few milliseconds until an element matches
 * `doneSelector`, and returns every distinct text seen, in order: an answer that arrives in one piece gives one
 * or two states, a streamed one many.
 */
export function watchText(page, textSelector, doneSelector, timeoutMs = 20_000) {
  return page.evaluate(
    ({ textSelector, doneSelector, timeoutMs }) =>
      new Promise((resolve, reject) => {
        const read = () => {
          const all = document.querySelectorAll(textSelector);
          return all.length ? all[all.length - 1].textContent : null;
        };
        const states = [];
        const deadline = Date.now() + timeoutMs;
        const timer = setInterval(() => {
          const value = read();
          if (value !== null && states[states.length - 1] !== value) states.push(value);
          if (document.querySelector(doneSelector)) {
            clearInterval(timer);
            resolve(states);
          } else if (Date.now() > deadline) {
            clearInterval(timer);
            reject(new Error(`not finished within ${timeoutMs} ms; last text: ${value}`));
          }
        }, 5);
      }),
    { textSelector, doneSelector, timeoutMs },
  );
}
