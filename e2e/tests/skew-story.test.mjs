// The story skew protection exists for, in a real browser against `./skewless dev`:
// an old tab keeps working while a breaking release ships, and is told to reload once its
// version is finally gone. Screenshots of every step go to e2e/target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevProcess, alive, cliOk, descendants, eventually, freePort, json, repoRoot } from '../lib/skewless.mjs';
import { launchChromium } from '../lib/browser.mjs';

const screenshots = join(repoRoot, 'e2e', 'target', 'screenshots');
mkdirSync(screenshots, { recursive: true });

const stateDir = mkdtempSync(join(tmpdir(), 'skewless-e2e-'));
let dev;
let browser;

before(async () => {
  dev = new DevProcess({ stateDir, port: await freePort() });
  await dev.start();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (dev?.child?.exitCode === null) await dev.stop();
});

async function version(app, id) {
  return json(`${dev.baseUrl}/_skewless/api/v1/apps/${app}/versions/${id}`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

const started = Date.now();
function step(what) {
  console.log(`# ${((Date.now() - started) / 1000).toFixed(1)}s ${what}`);
}

/** Text of a test id now, or null when the element is not on the page (no auto-waiting). */
async function textNow(page, testId) {
  const el = page.getByTestId(testId);
  return (await el.count()) > 0 ? el.first().textContent() : null;
}

/** Places an order from the page and returns what the page shows afterwards. */
async function placeOrder(page) {
  const before = await textNow(page, 'order-result');
  await page.getByTestId('place-order').click();
  await eventually('the order result or the reload banner', async () => {
    if (await page.getByTestId('reload-banner').isVisible()) return true;
    const now = await textNow(page, 'order-result');
    return now && now !== before;
  }, 20_000);
  return {
    result: (await textNow(page, 'order-result')) ?? '',
    backend: (await textNow(page, 'backend-version')) ?? '',
    banner: await page.getByTestId('reload-banner').isVisible(),
  };
}

test('an old tab keeps its backend through a breaking release, then is asked to reload', async () => {
  // The demo starts with v1 live. Shorten its retention so expiry happens within the test.
  await eventually('v1 to be live', async () => (await version('shop', 'v1')).phase === 'Live', 180_000);
  const app = readFileSync(join(repoRoot, 'manifests', 'dev', 'shop-app.yaml'), 'utf8')
    .replace(/default: \S+/, 'default: 45s')
    .replace(/min: \S+/, 'min: 10s');
  const appFile = join(stateDir, 'shop-app-short-retention.yaml');
  writeFileSync(appFile, app);
  cliOk(stateDir, 'apply', '-f', appFile);

  step('v1 live; retention shortened');
  // Tab A opens v1 and places an order.
  const tabA = await (await browser.newContext()).newPage();
  await tabA.goto(dev.baseUrl + '/');
  await eventually('tab A to show its build', async () => (await textNow(tabA, 'build-version')) === 'v1');
  const first = await placeOrder(tabA);
  await shot(tabA, '01-tab-a-v1-order');
  step(`tab A ordered: ${JSON.stringify(first)}`);
  assert.equal(first.banner, false, 'no banner while v1 is live');
  assert.equal(first.backend, 'v1');
  assert.match(first.result, /order/i);

  // v2, with a breaking change to the order API, is applied and promoted.
  cliOk(stateDir, 'apply', '-f', 'manifests/dev/shop-v2.yaml');
  step('v2 applied');
  cliOk(stateDir, 'wait', 'shop', 'v2', '--for', 'phase=Ready', '--timeout', '3m');
  cliOk(stateDir, 'promote', 'shop', 'v2');
  cliOk(stateDir, 'wait', 'shop', 'v2', '--for', 'phase=Live', '--timeout', '2m');
  assert.equal((await version('shop', 'v1')).phase, 'Superseded');
  step('v2 promoted and live');

  // Tab B opens and gets v2.
  const tabB = await (await browser.newContext()).newPage();
  await tabB.goto(dev.baseUrl + '/');
  await eventually('tab B to show v2', async () => (await textNow(tabB, 'build-version')) === 'v2');
  step('tab B shows v2');
  const b = await placeOrder(tabB);
  await shot(tabB, '02-tab-b-v2-order');
  step(`tab B ordered: ${JSON.stringify(b)}`);
  assert.equal(b.backend, 'v2');
  assert.equal(b.banner, false);

  // The status page, fed by the controller's status API through the router, shows the timeline.
  const status = await (await browser.newContext()).newPage();
  await status.goto(dev.baseUrl + '/#/status');
  await eventually('the status page to show v1 superseded and v2 live', async () =>
    (await status.getByTestId('version-shop-v1').getAttribute('data-phase')) === 'Superseded'
    && (await status.getByTestId('version-shop-v2').getAttribute('data-phase')) === 'Live', 30_000);
  assert.match(await status.getByTestId('version-shop-v1').getByTestId('time-left').textContent(), /\d/);
  assert.equal(await status.getByTestId('app-shop').getByTestId('app-live').textContent(), 'v2');
  await shot(status, '02b-status-page');
  step('status page shows v1 superseded, v2 live');
  await status.close();

  // Tab A, still running the v1 build, orders again: pinned to v1, it works.
  const second = await placeOrder(tabA);
  await shot(tabA, '03-tab-a-still-v1');
  step(`tab A ordered again: ${JSON.stringify(second)}`);
  assert.equal(second.banner, false, 'tab A must not be told to reload while v1 is retained');
  assert.equal(second.backend, 'v1', 'the x-deployment-id response header must say v1');
  assert.match(second.result, /order/i);

  // v1's retention ends: it drains and its pins get 410.
  await eventually('v1 to expire', async () => ['Draining', 'Retired'].includes((await version('shop', 'v1')).phase), 120_000, 1000);
  await eventually('pinned v1 requests to get 410', async () => {
    const res = await fetch(`${dev.baseUrl}/api/items`, { headers: { 'x-deployment-id': 'v1' } });
    return res.status === 410;
  }, 60_000, 500);

  // Tab A's next action shows the reload banner instead of breaking.
  step('v1 expired: pinned requests get 410');
  const third = await placeOrder(tabA);
  await shot(tabA, '04-tab-a-reload-banner');
  step(`tab A after expiry: ${JSON.stringify(third)}`);
  assert.equal(third.banner, true, 'tab A must offer a reload once v1 is gone');

  // After reload it runs v2.
  await tabA.getByTestId('reload-button').click();
  await eventually('tab A to reload into v2', async () => (await textNow(tabA, 'build-version')) === 'v2');
  const fourth = await placeOrder(tabA);
  await shot(tabA, '05-tab-a-reloaded-v2');
  step(`tab A reloaded: ${JSON.stringify(fourth)}`);
  assert.equal(fourth.banner, false);
  assert.equal(fourth.backend, 'v2');
});

test('stopping ./skewless dev leaves no process behind; a restart resumes with the same versions', async () => {
  const before = (await json(`${dev.baseUrl}/_skewless/api/v1/apps/shop/versions`)).items
    .map((v) => `${v.version}:${v.revoked}`).sort();
  const children = descendants(dev.pid);
  assert.ok(children.length > 0, 'dev runs its versions as child processes');
  const { result } = await dev.stop('SIGTERM');
  assert.notEqual(result, null);
  await eventually('every child process to be gone', async () => children.every((pid) => !alive(pid)), 30_000);

  dev = new DevProcess({ stateDir, port: dev.port, logName: 'dev-restarted.log' });
  await dev.start();
  const after = (await json(`${dev.baseUrl}/_skewless/api/v1/apps/shop/versions`)).items
    .map((v) => `${v.version}:${v.revoked}`).sort();
  assert.deepEqual(after, before);
  // The restarted router starts without rules (an ALB would have kept them), so until v2 serves
  // again requests are held with 503; a pin to v2 must never be told its version expired (410).
  const seen = new Set();
  let res;
  await eventually('a request pinned to v2 to be served again after the restart', async () => {
    res = await fetch(`${dev.baseUrl}/api/items`, { headers: { 'x-deployment-id': 'v2' } });
    seen.add(res.status);
    return res.status === 200;
  }, 120_000, 100);
  step(`pinned v2 after the restart answered ${[...seen].join(', ')}`);
  assert.ok(!seen.has(410), `a pin to a retained version was answered 410 during the restart: ${[...seen]}`);
  assert.ok([...seen].every((s) => s === 200 || s === 503), `only 503 while restoring, then 200: ${[...seen]}`);
  assert.equal(res.headers.get('x-deployment-id'), 'v2');
  assert.equal((await version('shop', 'v2')).phase, 'Live');
});
