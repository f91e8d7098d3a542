#!/usr/bin/env node
// Browser end-to-end test of the Usage tab against a running server: what the tab shows must be what
// GET /v1/usage answers, for 7 and 30 days and for one agent.
//
//   STEWARD_URL                    base URL serving the app at `/` and the API (default http://127.0.0.1:8787)
//   STEWARD_API_KEY                a valid key (required)
//   STEWARD_AGENT                  the agent to pick for the per-agent check (default knowledge-assistant)
//   STEWARD_USAGE_MIN_MODEL_CALLS  today's model calls on the tab must be at least this (default 0)
//   CHROMIUM_PATH                  Chromium binary (default /usr/bin/chromium)
//
// Prints one line per check and a closing "N passed, N failed" line; exits 0 only when every check passed.
// Writes web-static/target/e2e-usage.png (and e2e-failure.png when a check fails).

import { apiKey, baseUrl, check, configError, inBrowser, loadApp, run, targetPath } from './harness.mjs';

const screenshot = targetPath('e2e-usage.png');
const failureShot = targetPath('e2e-failure.png');

const agent = process.env.STEWARD_AGENT || 'knowledge-assistant';
const minModelCalls = Number(process.env.STEWARD_USAGE_MIN_MODEL_CALLS || '0');
const uiTimeoutMs = 15_000;

/** GET /v1/usage as the server answers it. */
async function apiUsage(days, forAgent) {
  const query = `days=${days}${forAgent ? `&agent=${encodeURIComponent(forAgent)}` : ''}`;
  const response = await fetch(`${baseUrl}/v1/usage?${query}`, { headers: { Authorization: `Bearer ${apiKey}` } });
  if (!response.ok) throw new Error(`GET /v1/usage?${query} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** The API's totals over its days: tokens, model calls, and verdicts by kind (the part after the last '.'). */
function apiTotals(report) {
  const t = { tokensIn: 0, tokensOut: 0, modelCalls: 0, verdicts: 0, kinds: {} };
  for (const d of report.days) {
    t.tokensIn += d.tokensIn;
    t.tokensOut += d.tokensOut;
    t.modelCalls += d.modelCalls;
    for (const [key, n] of Object.entries(d.guardrailVerdicts ?? {})) {
      const kind = key.slice(key.lastIndexOf('.') + 1);
      t.verdicts += n;
      t.kinds[kind] = (t.kinds[kind] ?? 0) + n;
    }
  }
  return t;
}

const digits = (text) => Number(text.replace(/\D/g, '') || '0');
/** JSON with every object's keys sorted, so equal maps compare equal whatever order they were built in. */
const stable = (value) =>
  JSON.stringify(value, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));

async function main() {
  if (!apiKey) return configError('STEWARD_API_KEY is not set');
  if (!Number.isInteger(minModelCalls) || minModelCalls < 0) return configError('STEWARD_USAGE_MIN_MODEL_CALLS must be a whole number');

  return inBrowser(failureShot, async (openTab) => {
    const page = await openTab({ timeoutMs: uiTimeoutMs });
    const byTestId = (id) => page.locator(`[data-testid="${id}"]`);

    /** What the tab shows once the choice (days, agent) has loaded. */
    async function shown(days, forAgent) {
      await page.locator(`[data-testid="usage-data"][data-days="${days}"][data-agent="${forAgent}"]`).waitFor({ state: 'visible' });
      const value = async (id) => Number(await byTestId(id).getAttribute('data-value'));
      const kinds = {};
      for (const el of await byTestId('usage-verdict').all()) kinds[await el.getAttribute('data-verdict')] = Number(await el.getAttribute('data-value'));
      const rows = [];
      for (const row of await byTestId('usage-row').all()) {
        const cells = await row.locator('td').allInnerTexts();
        rows.push({ day: await row.getAttribute('data-day'), tokensIn: digits(cells[0]), tokensOut: digits(cells[1]), modelCalls: digits(cells[2]) });
      }
      return {
        totals: {
          tokensIn: await value('usage-total-tokens-in'),
          tokensOut: await value('usage-total-tokens-out'),
          modelCalls: await value('usage-total-model-calls'),
          verdicts: await value('usage-total-verdicts'),
          kinds,
        },
        rows,
        bars: await byTestId('usage-bar').count(),
      };
    }

    /** Fails unless the tab shows exactly what the API answers for (days, agent): totals, days in order, per-day counts. */
    async function matchesApi(days, forAgent) {
      const ui = await shown(days, forAgent);
      const report = await apiUsage(days, forAgent);
      const want = apiTotals(report);
      if (stable(ui.totals) !== stable(want)) {
        throw new Error(`totals ${JSON.stringify(ui.totals)} but the API says ${JSON.stringify(want)}`);
      }
      const apiRows = report.days.map((d) => ({ day: d.day, tokensIn: d.tokensIn, tokensOut: d.tokensOut, modelCalls: d.modelCalls }));
      if (stable(ui.rows) !== stable(apiRows)) {
        throw new Error(`rows ${JSON.stringify(ui.rows.slice(0, 3))}… but the API says ${JSON.stringify(apiRows.slice(0, 3))}…`);
      }
      if (ui.bars !== days) throw new Error(`${ui.bars} chart bars for ${days} days`);
      return ui;
    }

    await check('app loads and the key signs in', async () => {
      await loadApp(page);
      await byTestId('api-key-input').fill(apiKey);
      await byTestId('sign-in-button').click();
      await byTestId('nav-usage').waitFor({ state: 'visible' });
      return baseUrl;
    });

    let week;
    await check('the Usage tab opens on the last 7 days and shows what the API answers', async () => {
      await byTestId('nav-usage').click();
      if (!page.url().endsWith('#/usage')) throw new Error(`URL is ${page.url()}`);
      if ((await byTestId('nav-usage').getAttribute('aria-current')) !== 'page') throw new Error('the Usage tab is not marked current');
      if ((await byTestId('usage-period').inputValue()) !== '7') throw new Error('the period is not 7 days');
      week = await matchesApi(7, '');
      const t = week.totals;
      return `${t.tokensIn} tokens in, ${t.tokensOut} out, ${t.modelCalls} model calls, ${t.verdicts} guardrail verdicts`;
    });

    await check(`today's model calls are at least ${minModelCalls}`, async () => {
      const today = week.rows[0];
      if (today.modelCalls < minModelCalls) throw new Error(`${today.day}: ${today.modelCalls} model calls`);
      return `${today.day}: ${today.modelCalls}`;
    });

    await check("the daily budget is the tenant's, as the API answers, with today's share of it", async () => {
      const report = await apiUsage(7, '');
      if (!Number.isInteger(report.dailyTokens)) throw new Error(`GET /v1/usage gives dailyTokens ${report.dailyTokens}`);
      const shownLimit = Number(await byTestId('usage-daily-budget').getAttribute('data-value'));
      if (shownLimit !== report.dailyTokens) throw new Error(`the tab shows a budget of ${shownLimit}, the API ${report.dailyTokens}`);
      const detail = await byTestId('usage-daily-budget').locator('xpath=following-sibling::dd[1]').innerText();
      if (!/tokens used today|used up/.test(detail)) throw new Error(`the budget's detail reads "${detail}"`);
      return `${shownLimit} tokens a day: ${detail}`;
    });

    await check('30 days: 30 rows and bars, totals as the API answers', async () => {
      await byTestId('usage-period').selectOption('30');
      const month = await matchesApi(30, '');
      return `${month.rows.length} days, ${month.totals.modelCalls} model calls`;
    });

    await check(`one agent (${agent}): totals as the API answers`, async () => {
      const offered = await byTestId('usage-agent').locator('option').evaluateAll((os) => os.map((o) => o.value));
      if (!offered.includes(agent)) throw new Error(`agent "${agent}" is not offered; the select has: ${offered.join(', ')}`);
      await byTestId('usage-agent').selectOption(agent);
      const ofAgent = await matchesApi(30, agent);
      return `${ofAgent.totals.modelCalls} model calls`;
    });

    await check('screenshot saved', async () => {
      await byTestId('usage-agent').selectOption('');
      await byTestId('usage-period').selectOption('7');
      await shown(7, '');
      await page.screenshot({ path: screenshot, fullPage: true });
      return screenshot;
    });
  });
}

run(main);
