// Opens the seed's browser example (served from another origin than the gateway), types a message, sends it,
// and watches the assistant's message until the answer is complete or an error is shown.
import { withPage } from './browser.mjs';

const { PAGE_URL, MESSAGE, ANSWER_ENDS_WITH } = process.env;

await withPage(async (page) => {
  const response = await page.goto(PAGE_URL);
  await page.fill('#user-input', MESSAGE);
  await page.click('#send-button');
  const states = await page.evaluate(
    ({ suffix }) =>
      new Promise((resolve) => {
        const states = [];
        const deadline = Date.now() + 20_000;
        const timer = setInterval(() => {
          const all = document.querySelectorAll('.assistant-message');
          const text = all.length ? all[all.length - 1].textContent : '';
          if (states[states.length - 1] !== text) states.push(text);
          if (text.endsWith(suffix) || text.startsWith('Error:') || Date.now() > deadline) {
            clearInterval(timer);
            resolve(states);
          }
        }, 5);
      }),
    { suffix: ANSWER_ENDS_WITH },
  );
  return { status: response.status(), states };
});
