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
