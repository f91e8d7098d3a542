#!/usr/bin/env node
// Browser end-to-end test of the Integrations tab against a running server: an admin sets a Zendesk connection, a
// Slack connection (a user token refused first), a Google Calendar connection and a HubSpot webhook through the forms, the tab lists what the API then answers, no secret ever reaches the page, a bad
// subdomain, an unknown agent and a member's 403 are explained next to the form, and the connection is removed.
//
//   STEWARD_URL         base URL serving the app at `/` and the API (default http://127.0.0.1:8787)
//   STEWARD_API_KEY     an admin key (required); the test changes the tenant's Zendesk, Slack and Google Calendar connections and HubSpot webhook
//   STEWARD_MEMBER_KEY  a member key of the same tenant (required; local mode: ./steward tenant key NAME --role member)
//   STEWARD_AGENT       the agent the HubSpot webhook starts (default support-agent)
//   CHROMIUM_PATH       Chromium binary (default /usr/bin/chromium)
//
// Prints one line per check and a closing "N passed, N failed" line; exits 0 only when every check passed.
// Leaves the HubSpot webhook set up (the caller may check it through the API) and no Zendesk connection.
// Writes web-static/target/e2e-integrations.png (and e2e-failure.png when a check fails).

import { randomBytes } from 'node:crypto';
import { apiKey, baseUrl, check, configError, inBrowser, loadApp, run, targetPath } from './harness.mjs';

const screenshot = targetPath('e2e-integrations.png');
const failureShot = targetPath('e2e-failure.png');

const memberKey = process.env.STEWARD_MEMBER_KEY || '';
const agent = process.env.STEWARD_AGENT || 'support-agent';
const uiTimeoutMs = 15_000;

// Fresh per run, so finding one in the page can only mean this run leaked it.
const nonce = randomBytes(9).toString('hex');
const zendeskToken = `zd-e2e-token-${nonce}`;
const hubspotSecret = `hs-e2e-client-secret-${nonce}`;
const rejectedSecret = `hs-e2e-rejected-secret-${nonce}`;
const forbiddenToken = `pat-e2e-forbidden-${nonce}`;
const slackUserToken = `xoxp-1234567890-0987654321-e2e${nonce}`;
const slackBotToken = `xoxb-1234567890-0987654321-e2e${nonce}`;

const googleSecret = `GOCSPX-e2e-${nonce}`;
const googleRefresh = `1//0g-e2e-refresh-${nonce}`;
const secrets = [zendeskToken, hubspotSecret, rejectedSecret, forbiddenToken, slackUserToken, slackBotToken, googleSecret, googleRefresh];

/** GET an API route as the server answers it. */
async function api(path) {
  const response = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${apiKey}` } });
  if (!response.ok) throw new Error(`GET ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function main() {
  if (!apiKey) return configError('STEWARD_API_KEY is not set');
  if (!memberKey) return configError('STEWARD_MEMBER_KEY is not set (a member key of the same tenant)');
  // A key reads stw_<tenant>_<keyId>_<secret>; a member of another tenant would prove nothing about this one's roles.
  if (memberKey.split('_')[1] !== apiKey.split('_')[1]) return configError('STEWARD_MEMBER_KEY is not a key of the same tenant as STEWARD_API_KEY');

  return inBrowser(failureShot, async (openTab) => {
    // 4xx answers are part of the test (unknown agent, the member's 403).
    const page = await openTab({ timeoutMs: uiTimeoutMs, allowFailedLoads: true });
    const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
    const part = (vendor, kind) => page.locator(`[data-testid="${kind}"][data-vendor="${vendor}"]`);
    const inPart = (vendor, kind, id) => part(vendor, kind).locator(`[data-testid="${id}"]`);
    /** Every change request the page sends: method and path. */
    const changes = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT' || r.method() === 'DELETE') changes.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    /** Fails when a secret of this run is in the HTML of page `p`, an input's value, or the tab's storage. */
    async function noSecretIn(p) {
      const html = await p.content();
      const values = await p.locator('input, select, textarea').evaluateAll((els) => els.map((e) => e.value));
      const stored = await p.evaluate(() => JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
      for (const s of secrets) {
        if (html.includes(s)) throw new Error(`a secret is in the page's HTML`);
        if (values.some((v) => v.includes(s))) throw new Error(`a secret is still in an input`);
        if (stored.includes(s)) throw new Error(`a secret is in the tab's storage`);
      }
      return `${html.length} characters of HTML, ${values.length} inputs`;
    }

    await check('app loads and the key signs in', async () => {
      await loadApp(page);
      await byTestId('api-key-input').fill(apiKey);
      await byTestId('sign-in-button').click();
      await byTestId('nav-integrations').waitFor({ state: 'visible' });
      return baseUrl;
    });

    await check('the Integrations tab shows Zendesk, HubSpot, Slack and Google Calendar as the API lists them', async () => {
      await byTestId('nav-integrations').click();
      if (!page.url().endsWith('#/integrations')) throw new Error(`URL is ${page.url()}`);
      if ((await byTestId('nav-integrations').getAttribute('aria-current')) !== 'page') throw new Error('the tab is not marked current');
      await byTestId('integrations-data').waitFor({ state: 'visible' });
      const vendors = await byTestId('integration-vendor').evaluateAll((els) => els.map((e) => e.getAttribute('data-vendor')));
      if (vendors.join() !== 'zendesk,hubspot,slack,google_calendar') throw new Error(`vendors shown: ${vendors.join()}`);
      // Google Calendar has a connection only.
      if ((await part('google_calendar', 'webhook').count()) !== 0) throw new Error('Google Calendar shows a webhook part');
      await inPart('google_calendar', 'connection', 'connection-none').waitFor({ state: 'visible' });
      const { webhooks } = await api('/v1/webhooks');
      const { connections } = await api('/v1/connections');
      for (const vendor of ['zendesk', 'hubspot', 'slack']) {
        const hasHook = webhooks.some((w) => w.source === vendor);
        const hasConnection = connections.some((c) => c.vendor === vendor);
        if (vendor === 'slack') {
          if ((await part(vendor, 'webhook').count()) !== 0) throw new Error('Slack shows a webhook part, but takes no webhooks');
        } else {
          await inPart(vendor, 'webhook', hasHook ? 'webhook-details' : 'webhook-none').waitFor({ state: 'visible' });
        }
        await inPart(vendor, 'connection', hasConnection ? 'connection-details' : 'connection-none').waitFor({ state: 'visible' });
      }
      return `${webhooks.length} webhooks, ${connections.length} connections`;
    });

    await check('a bad Zendesk subdomain is refused next to the form, nothing is sent, the other input stays', async () => {
      await inPart('zendesk', 'connection', 'connection-edit').click();
      await inPart('zendesk', 'connection', 'connection-subdomain').fill('acme.evil.test');
      await inPart('zendesk', 'connection', 'connection-email').fill('agent@acme.test');
      await inPart('zendesk', 'connection', 'connection-token').fill(zendeskToken);
      await inPart('zendesk', 'connection', 'connection-save').click();
      const error = inPart('zendesk', 'connection', 'connection-subdomain-error');
      await error.waitFor({ state: 'visible' });
      const text = await error.innerText();
      if (!text.includes('one name of letters, digits and hyphens')) throw new Error(`error says "${text}"`);
      if ((await inPart('zendesk', 'connection', 'connection-subdomain').getAttribute('aria-invalid')) !== 'true') throw new Error('the field is not marked invalid');
      if ((await inPart('zendesk', 'connection', 'connection-email').inputValue()) !== 'agent@acme.test') throw new Error('the email was lost');
      if (changes.length) throw new Error(`sent ${changes.join(', ')}`);
      return text;
    });

    await check('a Zendesk connection is set through the form: listed, the token cleared and never shown', async () => {
      await inPart('zendesk', 'connection', 'connection-subdomain').fill('Acme-Support');
      await inPart('zendesk', 'connection', 'connection-save').click();
      const details = part('zendesk', 'connection').locator('[data-testid="connection-details"][data-subdomain="acme-support"]');
      await details.waitFor({ state: 'visible' });
      if ((await details.getAttribute('data-email')) !== 'agent@acme.test') throw new Error(`email ${await details.getAttribute('data-email')}`);
      if ((await details.getAttribute('data-token-set')) !== 'true') throw new Error('the token is not shown as set');
      if (!(await part('zendesk', 'connection').locator('[data-testid="connection-form"]').isHidden())) throw new Error('the form is still open');
      if ((await inPart('zendesk', 'connection', 'connection-token').inputValue()) !== '') throw new Error('the token is still in its input');
      const { connections } = await api('/v1/connections');
      const zendesk = connections.find((c) => c.vendor === 'zendesk');
      if (!zendesk || zendesk.subdomain !== 'acme-support' || zendesk.email !== 'agent@acme.test' || zendesk.tokenSet !== true) {
        throw new Error(`the API has ${JSON.stringify(zendesk)}`);
      }
      return changes.at(-1);
    });

    await check('Slack takes a bot token only: a user token is refused naming it, nothing sent; a bot token connects it', async () => {
      const sent = changes.length;
      await inPart('slack', 'connection', 'connection-edit').click();
      await inPart('slack', 'connection', 'connection-token').fill(slackUserToken);
      await inPart('slack', 'connection', 'connection-save').click();
      const error = inPart('slack', 'connection', 'connection-token-error');
      await error.waitFor({ state: 'visible' });
      const text = await error.innerText();
      if (!text.includes('user token (xoxp-)')) throw new Error(`error says "${text}"`);
      if (changes.length !== sent) throw new Error(`sent ${changes.slice(sent).join(', ')}`);
      await inPart('slack', 'connection', 'connection-token').fill(slackBotToken);
      await inPart('slack', 'connection', 'connection-save').click();
      const details = part('slack', 'connection').locator('[data-testid="connection-details"][data-token-set="true"]');
      await details.waitFor({ state: 'visible' });
      if ((await inPart('slack', 'connection', 'connection-token').inputValue()) !== '') throw new Error('the token is still in its input');
      const { connections } = await api('/v1/connections');
      const slack = connections.find((c) => c.vendor === 'slack');
      if (!slack || slack.tokenSet !== true) throw new Error(`the API has ${JSON.stringify(slack)}`);
      return changes.at(-1);
    });

    await check('a Google Calendar connection is set through its form: client id and calendar listed, both secrets cleared and never shown', async () => {
      await inPart('google_calendar', 'connection', 'connection-edit').click();
      await inPart('google_calendar', 'connection', 'connection-client-id').fill('1234567890-e2e.apps.googleusercontent.com');
      await inPart('google_calendar', 'connection', 'connection-client-secret').fill(googleSecret);
      await inPart('google_calendar', 'connection', 'connection-refresh-token').fill(googleRefresh);
      await inPart('google_calendar', 'connection', 'connection-save').click();
      const details = part('google_calendar', 'connection').locator('[data-testid="connection-details"][data-calendar_id="primary"]');
      await details.waitFor({ state: 'visible' });
      if ((await details.getAttribute('data-client_id')) !== '1234567890-e2e.apps.googleusercontent.com') throw new Error('the client id is not shown');
      for (const id of ['connection-client-secret', 'connection-refresh-token']) {
        if ((await inPart('google_calendar', 'connection', id).inputValue()) !== '') throw new Error(`${id} is still in its input`);
      }
      const { connections } = await api('/v1/connections');
      const google = connections.find((c) => c.vendor === 'google_calendar');
      if (!google || google.calendar_id !== 'primary' || google.tokenSet !== true || JSON.stringify(google).includes(nonce)) {
        throw new Error(`the API has ${JSON.stringify(google)}`);
      }
      return changes.at(-1);
    });

    let hookPath = '';
    await check(`a HubSpot webhook is set through the form (agent ${agent}, two event types): listed with its hook URL`, async () => {
      await inPart('hubspot', 'webhook', 'webhook-edit').click();
      const offered = await inPart('hubspot', 'webhook', 'webhook-agent').locator('option').evaluateAll((os) => os.map((o) => o.value));
      if (!offered.includes(agent)) throw new Error(`agent "${agent}" is not offered; the select has: ${offered.join(', ')}`);
      await inPart('hubspot', 'webhook', 'webhook-agent').selectOption(agent);
      await inPart('hubspot', 'webhook', 'webhook-secret').fill(hubspotSecret);
      await inPart('hubspot', 'webhook', 'webhook-events').fill('ticket.creation, ticket.propertyChange');
      await inPart('hubspot', 'webhook', 'webhook-save').click();
      const details = part('hubspot', 'webhook').locator(`[data-testid="webhook-details"][data-agent="${agent}"][data-events="ticket.creation,ticket.propertyChange"]`);
      await details.waitFor({ state: 'visible' });
      if ((await inPart('hubspot', 'webhook', 'webhook-secret').inputValue()) !== '') throw new Error('the secret is still in its input');
      const { webhooks } = await api('/v1/webhooks');
      const hubspot = webhooks.find((w) => w.source === 'hubspot');
      if (!hubspot || hubspot.agent !== agent || hubspot.events.join() !== 'ticket.creation,ticket.propertyChange') {
        throw new Error(`the API has ${JSON.stringify(hubspot)}`);
      }
      hookPath = hubspot.path;
      if ((await details.getAttribute('data-path')) !== hookPath) throw new Error(`path ${await details.getAttribute('data-path')}, the API says ${hookPath}`);
      const url = await inPart('hubspot', 'webhook', 'webhook-url').innerText();
      if (url !== `${baseUrl}${hookPath}`) throw new Error(`hook URL ${url}`);
      return url;
    });

    await check("an unknown agent gets the API's 404 message next to the form; the secret is cleared, the events stay", async () => {
      await inPart('hubspot', 'webhook', 'webhook-edit').click();
      const select = inPart('hubspot', 'webhook', 'webhook-agent');
      // An agent deleted since the page read the list: the API is the authority.
      await select.evaluate((s) => s.append(new Option('ghost-agent-e2e', 'ghost-agent-e2e')));
      await select.selectOption('ghost-agent-e2e');
      await inPart('hubspot', 'webhook', 'webhook-secret').fill(rejectedSecret);
      await inPart('hubspot', 'webhook', 'webhook-events').fill('ticket.deletion');
      await inPart('hubspot', 'webhook', 'webhook-save').click();
      const error = inPart('hubspot', 'webhook', 'webhook-error');
      await error.waitFor({ state: 'visible' });
      const text = await error.innerText();
      if (!text.includes("agent 'ghost-agent-e2e' does not exist") || !text.includes('unknown_agent')) throw new Error(`error says "${text}"`);
      if ((await inPart('hubspot', 'webhook', 'webhook-events').inputValue()) !== 'ticket.deletion') throw new Error('the events were lost');
      if ((await inPart('hubspot', 'webhook', 'webhook-secret').inputValue()) !== '') throw new Error('the secret is still in its input');
      const hubspot = (await api('/v1/webhooks')).webhooks.find((w) => w.source === 'hubspot');
      if (hubspot?.agent !== agent) throw new Error(`the API now has agent ${hubspot?.agent}`);
      await part('hubspot', 'webhook').getByRole('button', { name: 'Cancel' }).click();
      return text.split('\n')[0];
    });

    await check("a member of the tenant sees the tab, but the API refuses its change (403): only an admin can change integrations", async () => {
      const member = await openTab({ timeoutMs: uiTimeoutMs, label: 'member tab', allowFailedLoads: true });
      const inMemberPart = (vendor, kind, id) => member.locator(`[data-testid="${kind}"][data-vendor="${vendor}"] [data-testid="${id}"]`);
      await loadApp(member);
      await member.locator('[data-testid="api-key-input"]').fill(memberKey);
      await member.locator('[data-testid="sign-in-button"]').click();
      await member.locator('[data-testid="nav-integrations"]').click();
      await member.locator('[data-testid="integrations-data"]').waitFor({ state: 'visible' });
      await inMemberPart('hubspot', 'connection', 'connection-edit').click();
      await inMemberPart('hubspot', 'connection', 'connection-token').fill(forbiddenToken);
      const answered = member.waitForResponse((r) => r.url().endsWith('/v1/connections/hubspot') && r.request().method() === 'PUT');
      await inMemberPart('hubspot', 'connection', 'connection-save').click();
      const response = await answered;
      if (response.status() !== 403) throw new Error(`the server answered ${response.status()} to the member's change, not 403`);
      const error = inMemberPart('hubspot', 'connection', 'connection-error');
      await error.waitFor({ state: 'visible' });
      const text = await error.innerText();
      if (!text.includes('Only an admin can change integrations') || !text.includes('role member')) throw new Error(`error says "${text}"`);
      if ((await inMemberPart('hubspot', 'connection', 'connection-token').inputValue()) !== '') throw new Error('the token is still in its input');
      const { connections } = await api('/v1/connections');
      if (connections.some((c) => c.vendor === 'hubspot')) throw new Error('the API now has a HubSpot connection');
      await noSecretIn(member);
      await member.close();
      return text.split('\n')[0];
    });

    await check('no secret or token of this run is anywhere in the page', () => noSecretIn(page));

    await check('after a reload the tab lists the connection and the webhook as saved', async () => {
      await page.reload({ waitUntil: 'domcontentloaded' });
      await byTestId('integrations-data').waitFor({ state: 'visible' });
      await part('zendesk', 'connection').locator('[data-testid="connection-details"][data-subdomain="acme-support"][data-token-set="true"]').waitFor({ state: 'visible' });
      await part('hubspot', 'webhook').locator(`[data-testid="webhook-details"][data-agent="${agent}"][data-path="${hookPath}"]`).waitFor({ state: 'visible' });
      return await noSecretIn(page);
    });

    await check('removing the Zendesk connection asks first, then it is gone from the tab and the API', async () => {
      const before = changes.length;
      await inPart('zendesk', 'connection', 'connection-remove').click();
      await inPart('zendesk', 'connection', 'connection-confirm').waitFor({ state: 'visible' });
      if (changes.length !== before) throw new Error('something was sent before confirming');
      await inPart('zendesk', 'connection', 'connection-confirm-remove').click();
      await inPart('zendesk', 'connection', 'connection-none').waitFor({ state: 'visible' });
      const { connections } = await api('/v1/connections');
      if (connections.some((c) => c.vendor === 'zendesk')) throw new Error('the API still has a Zendesk connection');
      return changes.slice(before).join(', ');
    });

    await check('screenshot saved', async () => {
      await page.screenshot({ path: screenshot, fullPage: true });
      return screenshot;
    });
  });
}

run(main);
