// Opens the console of one member of a running cluster in Debian's headless Chromium, signs in and
// prints what the cluster panel shows as one JSON line ("cluster: {…}") for the test to compare with
// that member's /health; exits non-zero when the panel does not appear.
//   node console-cluster.mjs URL API_KEY SCREENSHOT_DIR
import { runScenario, signIn } from './chromium.mjs';

const [url, apiKey, shots] = process.argv.slice(2);

await runScenario(shots + '/console-cluster-failure.png', async page => {
  await signIn(page, url, apiKey);
  await page.locator('#cluster-panel').waitFor({ state: 'visible', timeout: 20000 });
  await page.locator('#cluster-panel .cluster-members tr').first().waitFor({ timeout: 5000 });
  await page.waitForTimeout(400); // let the page settle for the screenshot
  const shown = await page.evaluate(() => {
    const panel = document.querySelector('#cluster-panel');
    return {
      summary: panel.querySelector('.cluster-summary').textContent,
      members: [...panel.querySelectorAll('.cluster-members tr')].map(tr => ({
        member: tr.dataset.member, name: tr.querySelector('.member-name').textContent,
        partitions: Number(tr.children[1].textContent), self: tr.classList.contains('self') })),
      counters: Object.fromEntries([...panel.querySelectorAll('dd[data-counter]')]
        .map(dd => [dd.dataset.counter, Number(dd.textContent)])),
    };
  });
  await page.screenshot({ path: shots + '/console-cluster.png', fullPage: true });
  console.log('cluster: ' + JSON.stringify(shown));
});
