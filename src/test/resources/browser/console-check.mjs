// Drives Debian's Chromium with playwright-core: opens the console, waits until the expected text
// shows in its live table (fed by the WebSocket stream), and saves a screenshot.
//   node console-check.mjs URL EXPECTED_TEXT SCREENSHOT
import { chromium } from 'playwright-core';

const [url, expected, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
  await page.goto(url);
  await page.locator('#points').getByText(expected).first().waitFor({ timeout: 20000 });
  await page.waitForTimeout(300); // let the chart repaint
  await page.screenshot({ path: screenshot });
  console.log('seen: ' + expected);
} finally {
  await browser.close();
}
