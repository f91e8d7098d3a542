#!/usr/bin/env node
// Browser end-to-end test of the Steward web app against a running server (local mode or a mock).
//
//   STEWARD_URL       base URL serving the app at `/` and the API (default http://127.0.0.1:8787)
//   STEWARD_API_KEY   a valid key of a tenant whose knowledge base has indexed documents (required)
//   STEWARD_QUESTION  the question to ask (default: a generic one)
//   STEWARD_AGENT     the agent to choose (default knowledge-assistant)
//   STEWARD_SCOPE     a document name: the question is asked again searching only it (optional; the first answer
//                     must cite another document too, or the check could not tell a scoped search from an open one)
//   CHROMIUM_PATH     Chromium binary (default /usr/bin/chromium)
//
// Prints one line per check and a closing "N passed, N failed" line; exits 0 only when every check passed.
// After the questions it opens the Runs tab: the last run heads the list, opens with its steps, and the status filter
// leaves it out under "failed". Writes web-static/target/e2e-chat.png (and e2e-failure.png when a check fails).

import { apiKey, baseUrl, check, clip, configError, inBrowser, lastRunSettled, loadApp, run, targetPath } from './harness.mjs';

const screenshot = targetPath('e2e-chat.png');
const failureShot = targetPath('e2e-failure.png');

const question = process.env.STEWARD_QUESTION || 'What does the documentation say? Summarise the main points.';
const agent = process.env.STEWARD_AGENT || 'knowledge-assistant';
const scopeName = process.env.STEWARD_SCOPE || '';
const answerTimeoutMs = 90_000;
const uiTimeoutMs = 15_000;

async function main() {
  if (!apiKey) {
    return configError('STEWARD_API_KEY is not set (a valid key of a tenant with indexed documents)');
  }

  return inBrowser(failureShot, async (openTab) => {
    // 4xx answers are expected (the wrong key).
    const page = await openTab({ timeoutMs: uiTimeoutMs, allowFailedLoads: true });
    const byTestId = (id) => page.locator(`[data-testid="${id}"]`);

    await check('app loads', async () => {
      await loadApp(page);
      await byTestId('api-key-input').waitFor({ state: 'visible' });
      return baseUrl;
    });

    await check('wrong key shows the auth error', async () => {
      const prefix = apiKey.split('_').slice(0, 3).join('_') || 'stw_nobody_k0';
      await byTestId('api-key-input').fill(`${prefix}_definitely-not-the-secret`);
      await byTestId('sign-in-button').click();
      const error = byTestId('auth-error');
      await error.waitFor({ state: 'visible' });
      const text = (await error.innerText()).trim();
      if (!text) throw new Error('the auth error is visible but empty');
      if ((await byTestId('agent-select').count()) > 0) throw new Error('the app signed in with a wrong key');
      return `"${clip(text)}"`;
    });

    await check('real key signs in', async () => {
      await byTestId('api-key-input').fill(apiKey);
      await byTestId('sign-in-button').click();
      const select = byTestId('agent-select');
      await Promise.race([
        select.waitFor({ state: 'visible' }),
        byTestId('auth-error')
          .filter({ hasText: /\S/ })
          .waitFor({ state: 'visible' })
          .then(async () => {
            throw new Error(`the app refused the key: ${await byTestId('auth-error').innerText()}`);
          }),
      ]);
      const agents = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
      if (!agents.includes(agent)) throw new Error(`agent "${agent}" is not offered; the tenant has: ${agents.join(', ') || 'none'}`);
      await select.selectOption(agent);
      return `agents: ${agents.join(', ')}`;
    });

    await check('question is submitted', async () => {
      await byTestId('question-input').fill(question);
      await byTestId('ask-button').click();
      await byTestId('run-status').last().waitFor({ state: 'visible' });
      return `"${clip(question, 60)}"`;
    });

    await check('run finishes with an answer', () => awaitLastRun(page));

    const turn = page.locator('.turn').last();
    await check('answer text is not empty', async () => {
      const text = (await turn.locator('[data-testid="answer-text"]').innerText()).trim();
      if (!text) throw new Error('answer-text is empty');
      return `"${clip(text)}"`;
    });

    await check('model label is shown', async () => {
      const model = turn.locator('[data-testid="answer-model"]');
      await model.waitFor({ state: 'visible' });
      const name = (await model.innerText()).trim();
      if (!name) throw new Error('answer-model is empty');
      return name;
    });

    await check('at least one citation chip', async () => {
      const n = await turn.locator('[data-testid="citation"]').count();
      if (n < 1) throw new Error('no citation chips');
      return `${n} citation${n === 1 ? '' : 's'}`;
    });

    await check('first citation opens the source panel with the quote highlighted', async () => {
      await turn.locator('[data-testid="citation"]').first().click();
      const panel = byTestId('source-panel');
      await panel.waitFor({ state: 'visible' });
      const source = panel.locator('[data-testid="source-text"]');
      const text = (await source.innerText()).trim();
      if (!text) throw new Error('source-text is empty');
      const marks = await source.locator('mark').allInnerTexts();
      const marked = marks.map((m) => m.trim()).filter(Boolean);
      if (marked.length === 0) throw new Error('no non-empty <mark> in the source text');
      if (!text.replace(/\s+/g, ' ').includes(marked[0].replace(/\s+/g, ' '))) throw new Error('the highlighted quote is not part of the source text');
      const title = (await panel.locator('h2').innerText()).trim();
      return `${clip(title, 40)}: "${clip(marked[0], 60)}"`;
    });

    if (scopeName) {
      await check(`a question searched in ${scopeName} cites only that document`, async () => {
        const citedSources = (t) => t.locator('[data-testid="citation"]').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-source')));
        const open = await citedSources(page.locator('.turn').last());
        if (open.every((c) => c === scopeName)) {
          throw new Error(`the open question cited only ${scopeName} already; choose a question that also cites another document`);
        }
        const scope = byTestId('scope-select');
        await scope.focus(); // refreshes the list of documents
        await page.waitForFunction((name) => [...document.querySelectorAll('[data-testid="scope-select"] option')]
          .some((o) => o.value === name), scopeName, { timeout: uiTimeoutMs });
        await scope.selectOption(scopeName);
        await byTestId('question-input').fill(question);
        await byTestId('ask-button').click();
        await page.waitForFunction((n) => document.querySelectorAll('.turn').length === n, 2, { timeout: uiTimeoutMs });
        await awaitLastRun(page);
        const last = page.locator('.turn').last();
        const label = (await last.locator('[data-testid="run-scope"]').innerText()).trim();
        if (label !== `in ${scopeName}`) throw new Error(`the answer's scope label reads "${label}"`);
        const cited = await citedSources(last);
        if (cited.length === 0) throw new Error('no citation chips');
        const outside = cited.filter((c) => c !== scopeName);
        if (outside.length > 0) throw new Error(`cited outside ${scopeName}: ${outside.join(', ')}`);
        return `open: ${[...new Set(open)].join(', ')}; scoped: ${cited.length} citation${cited.length === 1 ? '' : 's'}, all from ${scopeName}`;
      });
    }

    const runId = await page.locator('.turn').last().getAttribute('data-run-id');
    const runsPane = page.locator('[data-pane="runs"]');
    const runRows = runsPane.locator('[data-testid="run-row"]');
    /** Chooses filters in the Runs tab and waits for the first page under them; answers the rows' ids and statuses. */
    const filterRuns = async (status, agentName) => {
      await runsPane.locator('[data-testid="runs-status-filter"]').selectOption(status);
      await runsPane.locator('[data-testid="runs-agent-filter"]').selectOption(agentName);
      await page.waitForFunction(() => {
        const s = document.querySelector('[data-pane="runs"] [data-testid="runs-status"]');
        return !!s && s.textContent !== 'Loading…';
      }, null, { timeout: uiTimeoutMs });
      const error = runsPane.locator('[data-testid="runs-error"]');
      if (await error.isVisible()) throw new Error(`the Runs tab shows an error: ${await error.innerText()}`);
      return runRows.evaluateAll((rs) => rs.map((r) => ({ id: r.getAttribute('data-run-id'), status: r.getAttribute('data-status') })));
    };

    await check('the Runs tab lists the run just made first, Succeeded', async () => {
      if (!runId) throw new Error('the last chat turn has no data-run-id');
      await byTestId('nav-runs').click();
      await runRows.first().waitFor({ state: 'visible' });
      const first = runRows.first();
      const id = await first.getAttribute('data-run-id');
      if (id !== runId) throw new Error(`the first row is run ${id}, not ${runId}`);
      const badge = (await first.locator('[data-testid="run-row-status"]').innerText()).trim();
      if ((await first.getAttribute('data-status')) !== 'SUCCEEDED' || badge !== 'Succeeded') throw new Error(`the first row reads "${badge}"`);
      const preview = (await first.locator('[data-testid="run-row-input"]').innerText()).trim();
      if (!preview) throw new Error('the first row shows no input');
      return `${runId}: ${badge}, "${clip(preview, 50)}" (${await runRows.count()} rows)`;
    });

    await check('opening the run shows its answer and steps', async () => {
      await runRows.first().locator('[data-testid="run-open"]').click();
      const detail = runsPane.locator('[data-testid="run-detail"]');
      await detail.locator('[data-testid="run-detail-id"]').waitFor({ state: 'visible' });
      const shownId = (await detail.locator('[data-testid="run-detail-id"]').innerText()).trim();
      if (shownId !== runId) throw new Error(`the panel shows run ${shownId}`);
      if (!(await page.evaluate(() => location.hash)).startsWith('#/runs/')) throw new Error('the URL does not name the run');
      const status = await detail.locator('[data-testid="run-detail-status"]').getAttribute('data-status');
      if (status !== 'SUCCEEDED') throw new Error(`the panel's status is ${status}`);
      const answer = (await detail.locator('[data-testid="answer-text"]').innerText()).trim();
      if (!answer) throw new Error('the panel shows no answer');
      await detail.locator('[data-testid="run-steps"] summary').click();
      const steps = await detail.locator('[data-testid="run-step"]').allInnerTexts();
      if (steps.length === 0) throw new Error('the panel shows no steps');
      const summary = (await detail.locator('[data-testid="run-steps"] summary').innerText()).trim();
      if (!summary.startsWith(`${steps.length} step`)) throw new Error(`the steps read "${summary}" for ${steps.length} shown`);
      const cited = await detail.locator('[data-testid="citation"]').count();
      if (cited < 1) throw new Error('the panel shows no citation');
      return `${summary}; ${cited} citation${cited === 1 ? '' : 's'}; first step "${clip(steps[0].replace(/\s+/g, ' '), 50)}"`;
    });

    await check('filtering by status failed leaves the run out, succeeded and its agent keep it', async () => {
      const failed = await filterRuns('failed', '');
      if (failed.some((r) => r.id === runId)) throw new Error('the run is listed under status failed');
      const other = failed.filter((r) => r.status !== 'FAILED');
      if (other.length) throw new Error(`rows not FAILED under status failed: ${other.map((r) => r.status).join(', ')}`);
      const kept = await filterRuns('succeeded', agent);
      if (kept[0]?.id !== runId) throw new Error(`under succeeded and ${agent} the first row is ${kept[0]?.id ?? 'none'}`);
      await filterRuns('', '');
      return `failed: ${failed.length} row${failed.length === 1 ? '' : 's'}; succeeded + ${agent}: ${kept.length}`;
    });

    await check('screenshot saved', async () => {
      await page.screenshot({ path: screenshot, fullPage: true });
      return screenshot;
    });
  });
}

/** Waits until the last turn's run settles; throws unless it SUCCEEDED. */
async function awaitLastRun(page) {
  const started = Date.now();
  const status = await lastRunSettled(page, answerTimeoutMs);
  if (status !== 'SUCCEEDED') {
    const why = await page.locator('.turn').last().locator('[role="alert"]').allInnerTexts();
    throw new Error(`run ended ${status}: ${clip(why.join(' ') || 'no error shown', 200)}`);
  }
  return `${status} in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}

run(main);
