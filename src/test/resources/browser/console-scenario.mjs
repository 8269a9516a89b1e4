// Drives the console in Debian's headless Chromium with playwright-core, as a person would: signs in,
// picks a 2021 range, zooms by dragging over the chart, switches to a live range, and checks what the
// page shows at each step. Prints one "ok: …" line per step; exits non-zero at the first failure.
//   node console-scenario.mjs URL API_KEY SCREENSHOT_DIR
import { runScenario, signIn } from './chromium.mjs';

const [url, apiKey, shots] = process.argv.slice(2);
const DAY_FROM = '2021-06-01T00:00:00Z', DAY_TO = '2021-06-02T00:00:00Z';

function ok(text) { console.log('ok: ' + text); }

await runScenario(shots + '/console-failure.png', async page => {
  const socketUrls = [];
  page.on('websocket', ws => socketUrls.push(ws.url()));
  async function attr(selector, name) { return page.locator(selector).getAttribute(name); }
  async function waitFor(description, fn, timeout = 20000) {
    try {
      await page.waitForFunction(fn, null, { timeout });
    } catch (e) {
      throw new Error('timed out waiting for ' + description + '; status: ' + await page.locator('#status').textContent());
    }
  }
  async function shot(name) {
    await page.waitForTimeout(400); // let the chart repaint
    await page.screenshot({ path: shots + '/' + name, fullPage: true });
  }

  await signIn(page, url, apiKey);
  await page.locator('li.device[data-id="demo-0001"]').waitFor({ timeout: 20000 });
  ok('signed in');
  await waitFor('the health check', () => document.querySelector('#cluster-panel').dataset.checked === 'true');
  if (await page.locator('#cluster-panel').isVisible()) { throw new Error('a cluster panel on a single instance'); }
  ok('no cluster panel on a single instance');
  for (const signal of ['temperature', 'humidity']) {
    const box = page.locator('#signals label', { hasText: new RegExp('^\\s*' + signal + '\\b') }).locator('input');
    if (!await box.isChecked()) { await box.check(); }
  }

  // A day of 2021 history: aggregated buckets.
  await page.fill('#from', DAY_FROM);
  await page.fill('#to', DAY_TO);
  await page.click('#range-form button:not([type])');
  await waitFor('2021 buckets on the chart', () => document.querySelector('#chart').dataset.mode === 'buckets'
      && Number(document.querySelector('#chart').dataset.points) > 50);
  ok('history: ' + await attr('#chart', 'data-points') + ' points in ' + await attr('#chart', 'data-mode'));
  await shot('console-history.png');

  // Zoom: drag over 10:00–13:00 of the day; the narrower range is queried again, as raw points.
  const over = await page.locator('#chart .u-over').boundingBox();
  const x = hour => over.x + over.width * hour / 24;
  await page.mouse.move(x(10), over.y + over.height / 2);
  await page.mouse.down();
  await page.mouse.move(x(11.5), over.y + over.height / 2, { steps: 5 });
  await page.mouse.move(x(13), over.y + over.height / 2, { steps: 5 });
  await page.mouse.up();
  await waitFor('the zoomed range as raw points', () => document.querySelector('#chart').dataset.mode === 'raw'
      && Number(document.querySelector('#chart').dataset.points) > 20);
  const zoomedFrom = await page.inputValue('#from'), zoomedTo = await page.inputValue('#to');
  if (!/^2021-06-01T(09|10)/.test(zoomedFrom) || !/^2021-06-01T(12|13)/.test(zoomedTo)) {
    throw new Error('zoomed to ' + zoomedFrom + ' → ' + zoomedTo);
  }
  ok('zoomed to ' + zoomedFrom + ' → ' + zoomedTo + ': ' + await attr('#chart', 'data-points') + ' raw points');

  // The alert incident of 2021 was raised before the page opened: it comes from the alert history.
  await waitFor('the 2021 alert', () => [...document.querySelectorAll('#alerts li')]
      .some(tr => tr.textContent.includes('2021-06-01') && tr.textContent.includes('hot-2021')));
  ok('past alert: ' + (await page.locator('#alerts li', { hasText: '2021-06-01' }).first().textContent()).trim());

  // The refused message, with its reason and a decoded payload head.
  await page.locator('#rejected li', { hasText: 'wrong_token' }).first().locator('summary').click();
  const head = await page.locator('#rejected pre.payload').first().textContent();
  if (!head.includes('"device_id"')) { throw new Error('payload head not decoded: ' + head); }
  ok('rejected message decoded');
  await shot('console-zoomed.png');

  // Live: the last 5 minutes, with points published while the page watches.
  await page.click('#presets button[data-from="now-5m"]');
  await page.locator('#points').getByText('71.25').first().waitFor({ timeout: 30000 });
  await waitFor('the live point on the chart', () => Number(document.querySelector('#chart').dataset.points) > 0);
  ok('live point: ' + await attr('#chart', 'data-points') + ' points in the last 5 minutes');
  await shot('console-live.png');

  // Credentials: provision a device (its zip is downloaded), open it, rotate, then revoke.
  page.on('dialog', dialog => dialog.accept());
  await page.fill('#provision-id', 'console-new-0001');
  const [provisioned] = await Promise.all([page.waitForEvent('download'), page.click('#provision-form button')]);
  if (provisioned.suggestedFilename() !== 'console-new-0001.zip') { throw new Error('downloaded ' + provisioned.suggestedFilename()); }
  await page.locator('li.device[data-id="console-new-0001"]').click();
  await waitFor('the new device\'s active certificate', () => document.querySelector('#device-facts dd')?.textContent === 'console-new-0001'
      && [...document.querySelectorAll('#credentials tr')].map(tr => tr.children[1].textContent).join() === 'active');
  const [rotated] = await Promise.all([page.waitForEvent('download'), page.click('#rotate')]);
  await waitFor('the rotated certificates', () => [...document.querySelectorAll('#credentials tr')]
      .map(tr => tr.children[1].textContent).join() === 'active,ending');
  await page.click('#revoke');
  await waitFor('the revoked certificates', () => [...document.querySelectorAll('#credentials tr')]
      .map(tr => tr.children[1].textContent).join() === 'revoked,revoked');
  ok('credentials: provisioned, rotated (' + rotated.suggestedFilename() + '), revoked');
  await shot('console-credentials.png');

  // Layout and secrets.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 1400) { throw new Error('the page is ' + width + ' px wide at a 1400 px window'); }
  const overflowing = await page.evaluate(() => [...document.querySelectorAll('section')]
      .filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.querySelector('h2').textContent));
  if (overflowing.length) { throw new Error('sections overflow: ' + overflowing.join(', ')); }
  ok('no overflow at 1400 px');
  const leaks = await page.evaluate(key => [location.href, JSON.stringify(localStorage), JSON.stringify(sessionStorage),
    document.cookie, document.getElementById('key').value].filter(s => s.includes(key)).length, apiKey);
  if (!socketUrls.length) { throw new Error('no WebSocket was opened'); }
  if (leaks || socketUrls.some(u => u.includes(apiKey))) { throw new Error('the API key is kept outside memory'); }
  ok('key only in memory');
});
