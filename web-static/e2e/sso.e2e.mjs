#!/usr/bin/env node
// Browser end-to-end test of "Sign in with SSO" against a running server whose authorizer trusts an OIDC issuer
// (its /config.json names the issuer): the button sends the browser to the issuer, which sends it back with a code;
// the app exchanges it (PKCE) for an ID token and uses that token as its credential.
//
//   STEWARD_URL         base URL serving the app at `/` and the API (default http://127.0.0.1:8787)
//   STEWARD_SSO_TENANT  the tenant of the issuer's user (required)
//   STEWARD_SSO_RUN_ID  a run of that tenant the Runs tab must list (required)
//   CHROMIUM_PATH       Chromium binary (default /usr/bin/chromium)
//
// Prints one line per check and a closing "N passed, N failed" line; exits 0 only when every check passed.
// Writes web-static/target/e2e-sso.png (and e2e-failure.png when a check fails).

import { check, configError, inBrowser, loadApp, run, targetPath } from './harness.mjs';

const screenshot = targetPath('e2e-sso.png');
const failureShot = targetPath('e2e-failure.png');
const tenant = process.env.STEWARD_SSO_TENANT || '';
const runId = process.env.STEWARD_SSO_RUN_ID || '';

async function main() {
  if (!tenant || !runId) return configError('STEWARD_SSO_TENANT and STEWARD_SSO_RUN_ID are required');
  return inBrowser(failureShot, async (openTab) => {
    const page = await openTab({ timeoutMs: 15_000 });
    await loadApp(page);

    await check('the sign-in page offers SSO next to the API key', async () => {
      await page.locator('[data-testid="api-key-input"]').waitFor({ state: 'visible' });
      await page.locator('[data-testid="sso-button"]').waitFor({ state: 'visible' });
    });

    await check('SSO goes to the issuer and back, signed in as the token\'s tenant', async () => {
      await page.locator('[data-testid="sso-button"]').click();
      await Promise.race([
        page.locator('[data-testid="sign-out-button"]').waitFor({ state: 'visible' }),
        page.locator('[data-testid="auth-error"]').waitFor({ state: 'visible' }).then(async () => {
          throw new Error(`the app says: ${await page.locator('[data-testid="auth-error"]').innerText()}`);
        }),
      ]);
      const shown = (await page.locator('.account .tenant').innerText()).trim();
      if (shown !== tenant) throw new Error(`the header shows tenant '${shown}'`);
      return `tenant ${shown}`;
    });

    await check('the code is gone from the address and the tab keeps the ID token as its credential', async () => {
      const search = new URL(page.url()).search;
      if (search) throw new Error(`the address still carries ${search}`);
      const credential = await page.evaluate(() => sessionStorage.getItem('steward.apiKey'));
      if (!credential || credential.split('.').length !== 3) throw new Error('no JWT in sessionStorage');
    });

    await check('the Runs tab lists the tenant\'s run through the API with the token', async () => {
      await page.goto(new URL('#/runs', page.url()).toString());
      await page.locator('[data-testid="runs-table"]').waitFor({ state: 'visible' });
      const listed = await page.evaluate(async () => {
        const response = await fetch('/v1/runs?limit=100', { headers: { Authorization: `Bearer ${sessionStorage.getItem('steward.apiKey')}` } });
        return (await response.json()).runs.map((r) => r.runId);
      });
      if (!listed.includes(runId)) throw new Error(`GET /v1/runs with the token lists ${listed.length} run(s), not ${runId}`);
      await page.screenshot({ path: screenshot, fullPage: true });
      return `${listed.length} run(s)`;
    });
  });
}

run(main);
