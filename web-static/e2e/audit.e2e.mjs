#!/usr/bin/env node
// Browser end-to-end test of the Audit tab against a running server: an admin sees the tenant's changes exactly as
// GET /v1/audit lists them, newest first, a page at a time ("Load more"), filtered by kind of change; a member is told
// that only an admin may read the trail.
//
//   STEWARD_URL         base URL serving the app at `/` and the API (default http://127.0.0.1:8787)
//   STEWARD_API_KEY     an admin key (required) of a tenant with more than one page (20) of audit events
//   STEWARD_MEMBER_KEY  a member key of the same tenant (required)
//   CHROMIUM_PATH       Chromium binary (default /usr/bin/chromium)
//
// Prints one line per check and a closing "N passed, N failed" line; exits 0 only when every check passed.
// Writes web-static/target/e2e-audit.png (and e2e-failure.png when a check fails).

import { apiKey, baseUrl, check, configError, inBrowser, loadApp, run, targetPath } from './harness.mjs';

const screenshot = targetPath('e2e-audit.png');
const failureShot = targetPath('e2e-failure.png');
const memberKey = process.env.STEWARD_MEMBER_KEY || '';
const uiTimeoutMs = 15_000;

/** Every event of the trail (or of one action) as the API lists it, newest first, following every cursor. */
async function apiEvents(action) {
  const events = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ limit: '100' });
    if (cursor) query.set('cursor', cursor);
    if (action) query.set('action', action);
    const response = await fetch(`${baseUrl}/v1/audit?${query}`, { headers: { Authorization: `Bearer ${apiKey}` } });
    if (!response.ok) throw new Error(`GET /v1/audit answered ${response.status}: ${await response.text()}`);
    const page = await response.json();
    events.push(...page.events);
    cursor = page.nextCursor;
  } while (cursor);
  return events;
}

async function main() {
  if (!apiKey) return configError('STEWARD_API_KEY is not set');
  if (!memberKey) return configError('STEWARD_MEMBER_KEY is not set (a member key of the same tenant)');
  if (memberKey.split('_')[1] !== apiKey.split('_')[1]) return configError('STEWARD_MEMBER_KEY is not a key of the same tenant as STEWARD_API_KEY');

  return inBrowser(failureShot, async (openTab) => {
    const page = await openTab({ timeoutMs: uiTimeoutMs });
    const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
    /** The event ids of the rows shown, top to bottom, once `count` of them are. */
    async function rowsShown(count) {
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="audit-row"]').length === n, count);
      return byTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')));
    }

    await check('app loads and the admin key signs in', async () => {
      await loadApp(page);
      await byTestId('api-key-input').fill(apiKey);
      await byTestId('sign-in-button').click();
      await byTestId('nav-audit').waitFor({ state: 'visible' });
      return baseUrl;
    });

    const all = await apiEvents(null);
    await check('the Audit tab shows the newest page of the trail as the API lists it, and "Load more" the rest', async () => {
      if (all.length <= 20) throw new Error(`the tenant has ${all.length} events; the test needs more than one page (20)`);
      await byTestId('nav-audit').click();
      if (!page.url().endsWith('#/audit')) throw new Error(`URL is ${page.url()}`);
      const first = await rowsShown(20);
      const want = all.slice(0, 20).map((e) => e.eventId);
      if (first.join() !== want.join()) throw new Error(`rows ${first.slice(0, 3)}… but the API lists ${want.slice(0, 3)}…`);
      await byTestId('audit-more').click();
      const every = await rowsShown(Math.min(all.length, 40));
      if (every.join() !== all.slice(0, 40).map((e) => e.eventId).join()) throw new Error('the second page is not the API\'s');
      return `${every.length} of ${all.length} events`;
    });

    await check('a row says who did what to which thing', async () => {
      const row = byTestId('audit-row').first();
      const newest = all[0];
      const actor = await row.locator('[data-testid="audit-row-actor"]').innerText();
      const target = await row.locator('[data-testid="audit-row-target"]').innerText();
      if (!actor.startsWith(newest.actor) || !actor.includes(newest.role)) throw new Error(`actor cell "${actor}" for ${newest.actor} (${newest.role})`);
      if (target !== newest.target) throw new Error(`target cell "${target}", not ${newest.target}`);
      if ((await row.getAttribute('data-action')) !== newest.action) throw new Error('the row is not the newest event');
      return `${actor}: ${await row.locator('[data-testid="audit-row-action"]').innerText()} ${target}`;
    });

    await check('filtering by a kind of change shows only those, as the API lists them', async () => {
      const action = all[all.length - 1].action; // the oldest event's kind (the tenant's creation)
      const ofAction = await apiEvents(action);
      await byTestId('audit-action-filter').selectOption(action);
      const shown = await rowsShown(Math.min(ofAction.length, 20));
      if (shown.join() !== ofAction.slice(0, 20).map((e) => e.eventId).join()) throw new Error(`rows ${shown} but the API lists ${ofAction.map((e) => e.eventId)}`);
      await page.screenshot({ path: screenshot, fullPage: true });
      return `${action}: ${shown.length}`;
    });

    await check('a member is told that only an admin may read the trail', async () => {
      const member = await openTab({ timeoutMs: uiTimeoutMs, label: 'member tab', allowFailedLoads: true });
      await loadApp(member);
      await member.locator('[data-testid="api-key-input"]').fill(memberKey);
      await member.locator('[data-testid="sign-in-button"]').click();
      await member.locator('[data-testid="nav-audit"]').click();
      const error = member.locator('[data-testid="audit-error"]');
      await error.waitFor({ state: 'visible' });
      const text = await error.innerText();
      if (!text.includes('Only an admin key may read the audit trail')) throw new Error(`error says "${text}"`);
      if ((await member.locator('[data-testid="audit-row"]').count()) !== 0) throw new Error('the member sees rows');
      await member.close();
      return text;
    });
  });
}

run(main);
