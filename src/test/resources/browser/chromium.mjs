// Debian's headless Chromium through playwright-core (no browser download), as the console's
// scenarios use it: a 1400 × 1000 page whose script and console errors are collected in `problems`.
import { chromium } from 'playwright-core';

export async function openPage() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems = [];
  page.on('pageerror', e => problems.push('page error: ' + e.message));
  page.on('console', m => { if (m.type() === 'error') { problems.push('console error: ' + m.text()); } });
  return { browser, page, problems };
}

/**
 * Runs `scenario(page)` on a fresh page; a script or console error on the page fails it too. On a
 * failure saves the screenshot `failureShot`, prints "FAILED: …" and sets a non-zero exit code; the
 * browser is closed either way.
 */
export async function runScenario(failureShot, scenario) {
  const { browser, page, problems } = await openPage();
  try {
    await scenario(page);
    if (problems.length) { throw new Error(problems.join('\n')); }
  } catch (e) {
    await page.screenshot({ path: failureShot, fullPage: true }).catch(() => {});
    console.log('FAILED: ' + e.message);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

/** Opens the console at `url` and signs in with `apiKey`. */
export async function signIn(page, url, apiKey) {
  await page.goto(url);
  await page.fill('#key', apiKey);
  await page.click('#login button');
}
