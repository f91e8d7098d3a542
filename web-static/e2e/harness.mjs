// What the browser tests share: numbered checks with a closing "N passed, N failed" line, Debian's Chromium started
// the way this machine allows, and the failure report (unexpected error, browser errors, failure screenshot).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

class CheckFailed extends Error {}

/** The server under test (STEWARD_URL: it serves the app at `/` and the API) and the key to sign in with (STEWARD_API_KEY). */
export const baseUrl = (process.env.STEWARD_URL || 'http://127.0.0.1:8787').replace(/\/+$/, '');
export const apiKey = process.env.STEWARD_API_KEY || '';

/** Opens the app at `path` in `page`; throws unless the server answers with a 2xx. */
export async function loadApp(page, path = '/') {
  const response = await page.goto(`${baseUrl}${path}`, { waitUntil: 'domcontentloaded' });
  if (!response || !response.ok()) throw new Error(`GET ${baseUrl}${path} answered ${response ? response.status() : 'nothing'}`);
}

let passed = 0;
let failed = 0;

function ok(name, detail = '') {
  passed += 1;
  console.log(`ok ${passed} - ${name}${detail ? ` (${detail})` : ''}`);
}

function fail(name, why) {
  failed += 1;
  console.log(`not ok ${passed + failed} - ${name}: ${why}`);
  throw new CheckFailed(`${name}: ${why}`);
}

/** Runs one check: `fn` returns a detail string on success or throws. The first failing check stops the test. */
export async function check(name, fn) {
  try {
    ok(name, (await fn()) ?? '');
  } catch (e) {
    if (e instanceof CheckFailed) throw e;
    fail(name, (e && e.message ? e.message : String(e)).split('\n')[0]);
  }
}

export const clip = (s, n = 80) => {
  const t = String(s).replace(/\s+/g, ' ').trim();
  return t.length > n ? `${t.slice(0, n - 1)}…` : t;
};

/** Reports incomplete configuration as the one failed check; the exit code is 2. */
export function configError(message) {
  console.log(`not ok 1 - configuration: ${message}`);
  console.log('0 passed, 1 failed');
  return 2;
}

/** Headless Debian Chromium (CHROMIUM_PATH, default /usr/bin/chromium), with no background network traffic. */
function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Prints what the browser reported, if anything. */
function reportBrowserErrors(pageErrors) {
  if (pageErrors.length) console.log(`# browser reported: ${pageErrors.slice(0, 5).join(' | ')}`);
}

/** After a check failed or something unexpected was thrown: counts it, reports, saves a screenshot; returns 1. */
async function reportFailure(e, pageErrors, page, failureShot) {
  if (!(e instanceof CheckFailed)) {
    failed += 1;
    console.log(`not ok ${passed + failed} - unexpected error: ${e && e.stack ? e.stack : e}`);
  }
  reportBrowserErrors(pageErrors);
  if (page) {
    await page.screenshot({ path: failureShot, fullPage: true }).then(
      () => console.log(`# failure screenshot: ${failureShot}`),
      () => {},
    );
  }
  return 1;
}

/** The closing line the test runners read. */
function printSummary() {
  console.log(`${passed} passed, ${failed} failed`);
}

/** Where the browser tests write screenshots: web-static/target/NAME (the folder is created). */
export function targetPath(name) {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'target');
  mkdirSync(dir, { recursive: true });
  return resolve(dir, name);
}

/**
 * A page in a new 1280x900 context with `timeoutMs` as its default timeout, whose uncaught errors and console errors
 * are added to `pageErrors` (prefixed by `label` when given). With `allowFailedLoads` the browser's "Failed to load
 * resource" lines, which it logs for 4xx answers a test expects, are not errors.
 */
async function openPage(browser, pageErrors, { timeoutMs, label = '', allowFailedLoads = false }) {
  const prefix = label ? `${label} ` : '';
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  page.on('pageerror', (e) => pageErrors.push(`${prefix}page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !(allowFailedLoads && m.text().startsWith('Failed to load resource'))) {
      pageErrors.push(`${prefix}console error: ${m.text()}`);
    }
  });
  return page;
}

/**
 * Runs a browser test's checks in a fresh Chromium and returns its exit code: 0 when `checks` returns, 1 when a check
 * failed or something unexpected was thrown (reported with what the browser logged and a screenshot of the first page
 * opened, saved at `failureShot`). `checks` is given `openTab(options)`, which opens a page as `openPage` describes;
 * every page's errors are reported. The closing "N passed, N failed" line is printed once the browser is closed.
 */
export async function inBrowser(failureShot, checks) {
  const browser = await launchChromium();
  const pageErrors = [];
  let first;
  const openTab = async (options) => {
    const page = await openPage(browser, pageErrors, options);
    first ??= page;
    return page;
  };
  try {
    await checks(openTab);
    reportBrowserErrors(pageErrors);
    return 0;
  } catch (e) {
    // Awaited here: a returned promise would settle only after `finally` has closed the browser, losing the screenshot.
    return await reportFailure(e, pageErrors, first, failureShot);
  } finally {
    await browser.close().catch(() => {});
    printSummary();
  }
}

/** Runs a browser test's `main` and exits with its code; 1 when the test could not run at all. */
export function run(main) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`e2e could not run: ${e && e.stack ? e.stack : e}`);
      process.exit(1);
    },
  );
}

/**
 * Waits until the last run on the page has left QUEUED and RUNNING, and returns its status (`data-status` of the
 * last `run-status`); throws naming the status it is still in after `timeoutMs`.
 */
export async function lastRunSettled(page, timeoutMs) {
  const statusEl = page.locator('[data-testid="run-status"]').last();
  await page
    .waitForFunction(
      () => {
        const all = document.querySelectorAll('[data-testid="run-status"]');
        const s = all[all.length - 1]?.getAttribute('data-status');
        return !!s && s !== 'QUEUED' && s !== 'RUNNING';
      },
      null,
      { timeout: timeoutMs, polling: 250 },
    )
    .catch(async () => {
      throw new Error(`the run is still ${await statusEl.getAttribute('data-status')} after ${timeoutMs / 1000} s`);
    });
  return (await statusEl.getAttribute('data-status')) ?? '';
}
