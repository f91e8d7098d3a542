#!/usr/bin/env node
// Browser end-to-end test of the review queue (Reviews tab) against a running server (local mode or a mock): a member's
// decision is refused by the server (403) and the panel says why, then the key that may decide does.
//
//   STEWARD_URL            base URL serving the app at `/` and the API (default http://127.0.0.1:8787)
//   STEWARD_API_KEY        a key with role reviewer or admin (required): the key that decides
//   STEWARD_MEMBER_KEY     a member key of the same tenant (required; local mode: ./steward tenant key NAME --role member)
//   STEWARD_REVIEW_ID      a PENDING review of that key's tenant whose payload is an email {to, subject, body}
//                          (required, unless STEWARD_REVIEW_AGENT is set: see below)
//   STEWARD_REVIEW_ACTION  approve | reject | edit (default approve)
//   STEWARD_EDIT_SUBJECT   edit: the subject that replaces the payload's (default: "Edited by the review e2e test")
//   STEWARD_REJECT_COMMENT reject: the comment (default: "Rejected by the review e2e test")
//   STEWARD_REVIEW_CONFLICT 1 (default) also checks that a second, stale tab deciding afterwards is refused
//                          (409 already_decided) and shows the winning decision; 0 skips it
//   STEWARD_REVIEW_AGENT   optional, instead of STEWARD_REVIEW_ID: ask this agent STEWARD_REVIEW_QUESTION in Chat,
//                          wait for WAITING_FOR_REVIEW, follow the run's review link, decide, and check the run resumes
//   STEWARD_REVIEW_QUESTION the question for STEWARD_REVIEW_AGENT
//   CHROMIUM_PATH          Chromium binary (default /usr/bin/chromium)
//
// Prints one line per check and a closing "N passed, N failed" line; exits 0 only when every check passed
// (2 when the configuration is incomplete). Writes web-static/target/e2e-review.png and e2e-review-member.png (the
// member's refusal), e2e-review-failure.png on failure.

import { isDeepStrictEqual } from 'node:util';
import { apiKey, baseUrl, check, clip, configError, inBrowser, lastRunSettled, loadApp, run, targetPath } from './harness.mjs';

const screenshot = targetPath('e2e-review.png');
const failureShot = targetPath('e2e-review-failure.png');
const memberShot = targetPath('e2e-review-member.png');

let reviewId = process.env.STEWARD_REVIEW_ID || '';
const memberKey = process.env.STEWARD_MEMBER_KEY || '';
const action = (process.env.STEWARD_REVIEW_ACTION || 'approve').trim().toLowerCase();
const editSubject = process.env.STEWARD_EDIT_SUBJECT || 'Edited by the review e2e test';
const rejectComment = process.env.STEWARD_REJECT_COMMENT || 'Rejected by the review e2e test';
const checkConflict = (process.env.STEWARD_REVIEW_CONFLICT ?? '1') !== '0';
const chatAgent = process.env.STEWARD_REVIEW_AGENT || '';
const chatQuestion = process.env.STEWARD_REVIEW_QUESTION || 'Please email the customer a short summary of their refund status.';
const uiTimeoutMs = 15_000;
const runTimeoutMs = 90_000;

/** The review's status once the action is decided, and the decision it records. */
const EXPECTED = {
  approve: { status: 'approved', decision: 'approve' },
  reject: { status: 'rejected', decision: 'reject' },
  edit: { status: 'edited', decision: 'edit' },
};

/** GET an API route with the key, as the server sees it (the source of truth the UI is compared with). */
async function api(path) {
  const response = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${apiKey}`, Accept: 'application/json' } });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

const isEmail = (p) => p && typeof p === 'object' && !Array.isArray(p) && 'to' in p && 'subject' in p && 'body' in p;

async function main() {
  if (!apiKey) return configError('STEWARD_API_KEY is not set (a key with role reviewer or admin)');
  if (!memberKey) return configError('STEWARD_MEMBER_KEY is not set (a member key of the same tenant)');
  // A key reads stw_<tenant>_<keyId>_<secret>; a member of another tenant would get 404, proving nothing about roles.
  if (memberKey.split('_')[1] !== apiKey.split('_')[1]) return configError('STEWARD_MEMBER_KEY is not a key of the same tenant as STEWARD_API_KEY');
  if (!reviewId && !chatAgent) return configError('STEWARD_REVIEW_ID is not set (a pending review whose payload is an email {to, subject, body})');
  if (!EXPECTED[action]) return configError(`STEWARD_REVIEW_ACTION must be approve, reject or edit, not "${action}"`);
  const expected = EXPECTED[action];

  return inBrowser(failureShot, async (openTab) => {
    // 4xx answers are expected (the member's 403, the 409 of the stale tab).
    const tab = (label) => openTab({ timeoutMs: uiTimeoutMs, label, allowFailedLoads: true });
    const signInOn = async (p, path = '/', key = apiKey) => {
      await loadApp(p, path);
      await p.locator('[data-testid="api-key-input"]').fill(key);
      await p.locator('[data-testid="sign-in-button"]').click();
      await Promise.race([
        p.locator('[data-testid="sign-out-button"]').waitFor({ state: 'visible' }),
        p
          .locator('[data-testid="auth-error"]')
          .filter({ hasText: /\S/ })
          .waitFor({ state: 'visible' })
          .then(async () => {
            throw new Error(`the app refused the key: ${await p.locator('[data-testid="auth-error"]').innerText()}`);
          }),
      ]);
    };

    const page = await tab('tab 1');
    const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
    const rowOf = (p, id) => p.locator(`[data-testid="review-row"][data-review-id=${JSON.stringify(id)}]`);

    await check('app loads and the key signs in', async () => {
      await signInOn(page);
      await byTestId('nav-reviews').waitFor({ state: 'visible' });
      return baseUrl;
    });

    if (chatAgent) {
      await check('a chat run waits for approval and links to its review', async () => {
        const select = byTestId('agent-select');
        const agents = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
        if (!agents.includes(chatAgent)) throw new Error(`agent "${chatAgent}" is not offered; the tenant has: ${agents.join(', ') || 'none'}`);
        await select.selectOption(chatAgent);
        await byTestId('question-input').fill(chatQuestion);
        await byTestId('ask-button').click();
        const started = Date.now();
        const status = await lastRunSettled(page, runTimeoutMs);
        if (status !== 'WAITING_FOR_REVIEW') throw new Error(`the run is ${status}, not WAITING_FOR_REVIEW`);
        const link = page.locator('.turn').last().locator('[data-testid="run-review-link"]');
        await link.waitFor({ state: 'visible' });
        reviewId = (await link.getAttribute('data-review-id')) || '';
        if (!reviewId) throw new Error('the run has no reviewId');
        await link.click();
        await page.waitForFunction((id) => location.hash === `#/reviews/${encodeURIComponent(id)}`, reviewId);
        return `${reviewId} after ${((Date.now() - started) / 1000).toFixed(1)} s`;
      });
    }

    let review;
    await check('the review is pending and its payload is an email (API)', async () => {
      const { status, body } = await api(`/v1/reviews/${encodeURIComponent(reviewId)}`);
      if (status === 404) throw new Error(`no review ${reviewId} in this key's tenant`);
      if (status !== 200) throw new Error(`GET /v1/reviews/${reviewId} answered ${status}: ${clip(JSON.stringify(body), 160)}`);
      if (body.status !== 'pending') throw new Error(`review ${reviewId} is ${body.status}, not pending: the test needs a fresh pending review`);
      if (!isEmail(body.payload)) throw new Error(`the payload is not an email {to, subject, body}: ${clip(JSON.stringify(body.payload), 160)}`);
      review = body;
      return `${review.agent} → ${review.tool}, subject "${clip(review.payload.subject, 50)}"`;
    });

    await check('the Reviews tab lists the review as pending', async () => {
      if (!chatAgent) await byTestId('nav-reviews').click();
      await byTestId('review-filter').waitFor({ state: 'visible' });
      const filter = await byTestId('review-filter').inputValue();
      if (filter !== 'pending') throw new Error(`the queue opens on "${filter}", not pending`);
      const row = rowOf(page, reviewId);
      await row.waitFor({ state: 'visible' });
      const status = await row.getAttribute('data-status');
      if (status !== 'pending') throw new Error(`the row's data-status is ${status}`);
      const text = await row.innerText();
      for (const part of [review.agent, review.tool]) if (!text.includes(part)) throw new Error(`the row does not show "${part}": ${clip(text)}`);
      const rows = await byTestId('review-row').count();
      return `${rows} pending row${rows === 1 ? '' : 's'}; "${clip(text, 70)}"`;
    });

    await check('opening the row shows the review’s details', async () => {
      await rowOf(page, reviewId).click();
      await page.waitForFunction((id) => location.hash === `#/reviews/${encodeURIComponent(id)}`, reviewId);
      const detail = byTestId('review-detail');
      await detail.locator('[data-testid="review-payload"]').waitFor({ state: 'visible' });
      const badge = detail.locator('[data-testid="review-status"]');
      if ((await badge.getAttribute('data-status')) !== 'pending') throw new Error(`the panel's status is ${await badge.getAttribute('data-status')}`);
      const norm = (t) => String(t).replace(/\s+/g, ' ').trim();
      const text = norm(await detail.innerText());
      const wanted = [review.tool, review.runId, review.sideEffect, review.reason, review.payloadHash].filter(Boolean);
      const missing = wanted.filter((w) => !text.includes(norm(w)));
      if (missing.length) throw new Error(`the panel does not show: ${missing.join(', ')}`);
      for (const id of ['review-approve', 'review-reject', 'review-edit']) if (!(await detail.locator(`[data-testid="${id}"]`).isVisible())) throw new Error(`no ${id} button`);
      return `tool, side effect, reason, run id and payload hash shown`;
    });

    await check('the raw payload panel shows the exact JSON (to, subject, body)', async () => {
      const text = await byTestId('review-payload').textContent();
      let shown;
      try {
        shown = JSON.parse(text);
      } catch (e) {
        throw new Error(`review-payload is not JSON: ${e.message}: ${clip(text)}`);
      }
      for (const field of ['to', 'subject', 'body']) {
        if (!isDeepStrictEqual(shown[field], review.payload[field])) {
          throw new Error(`"${field}" is ${JSON.stringify(shown[field])}, the server has ${JSON.stringify(review.payload[field])}`);
        }
      }
      if (!isDeepStrictEqual(shown, review.payload)) throw new Error(`the panel shows ${clip(JSON.stringify(shown), 120)}, the server has ${clip(JSON.stringify(review.payload), 120)}`);
      if (!text.includes('\n  ')) throw new Error('the payload is not pretty-printed');
      return `to ${JSON.stringify(shown.to)}, subject "${clip(shown.subject, 40)}", body of ${String(shown.body).length} chars`;
    });

    await check("a member's approval is refused by the server (403), the panel says only a reviewer or admin may decide", async () => {
      const member = await tab('member tab');
      await signInOn(member, `/#/reviews/${encodeURIComponent(reviewId)}`, memberKey);
      const inPanel = (id) => member.locator(`[data-testid="review-detail"] [data-testid="${id}"]`);
      await inPanel('review-payload').waitFor({ state: 'visible' });
      const answered = member.waitForResponse((r) => r.url().includes('/decision') && r.request().method() === 'POST');
      await inPanel('review-approve').click();
      const response = await answered;
      if (response.status() !== 403) throw new Error(`the server answered ${response.status()} to the member's approval, not 403`);
      const code = (await response.json().catch(() => ({}))).error?.code;
      if (code !== 'forbidden') throw new Error(`the 403's code is ${JSON.stringify(code)}, not "forbidden"`);
      const error = inPanel('review-error');
      await error.waitFor({ state: 'visible' });
      const text = (await error.innerText()).replace(/\s+/g, ' ').trim();
      if (!/Your role cannot decide reviews/.test(text) || !/admin or a reviewer/.test(text) || !text.includes('forbidden')) {
        throw new Error(`the error says "${clip(text, 160)}"`);
      }
      if ((await inPanel('review-status').getAttribute('data-status')) !== 'pending') throw new Error('the panel no longer shows the review pending');
      if ((await inPanel('review-decision').count()) > 0) throw new Error('the panel shows a decision');
      if (!(await inPanel('review-approve').isEnabled())) throw new Error('Approve stays disabled after the refusal');
      const { body } = await api(`/v1/reviews/${encodeURIComponent(reviewId)}`);
      if (body.status !== 'pending') throw new Error(`the member's click changed the review to ${body.status}`);
      await member.screenshot({ path: memberShot, fullPage: true });
      await member.close();
      return `"${clip(text, 70)}"`;
    });

    // A second tab with the same review open, frozen (its queue does not refresh), decides after this one.
    let stale;
    if (checkConflict) {
      await check('a second tab opens the same review from its link', async () => {
        stale = await tab('tab 2');
        await signInOn(stale, `/#/reviews/${encodeURIComponent(reviewId)}`);
        await stale.locator('[data-testid="review-payload"]').waitFor({ state: 'visible' });
        await stale.route((url) => url.pathname === '/v1/reviews', (route) => route.abort());
        const status = await stale.locator('[data-testid="review-status"]').getAttribute('data-status');
        if (status !== 'pending') throw new Error(`tab 2 shows it ${status}`);
        return 'deep link #/reviews/{id}';
      });
    }

    let editedPayload;
    if (action === 'approve') {
      await check('approve', async () => {
        await byTestId('review-approve').click();
        return 'clicked Approve';
      });
    } else if (action === 'reject') {
      await check('reject needs a comment', async () => {
        await byTestId('review-reject').click();
        await byTestId('review-comment-error').waitFor({ state: 'visible' });
        const status = await byTestId('review-status').getAttribute('data-status');
        if (status !== 'pending') throw new Error(`the review became ${status} without a comment`);
        return clip(await byTestId('review-comment-error').innerText(), 60);
      });
      await check('reject with a comment', async () => {
        await byTestId('review-comment').fill(rejectComment);
        await byTestId('review-reject').click();
        return `"${clip(rejectComment, 50)}"`;
      });
    } else {
      await check('the editor starts with the exact payload', async () => {
        await byTestId('review-edit').click();
        const editor = byTestId('review-edit-payload');
        await editor.waitFor({ state: 'visible' });
        const value = await editor.inputValue();
        if (!isDeepStrictEqual(JSON.parse(value), review.payload)) throw new Error(`the editor holds ${clip(value, 120)}`);
        return `${value.split('\n').length} lines`;
      });
      await check('invalid JSON is refused inline, nothing is sent', async () => {
        await byTestId('review-edit-payload').fill('{ "to": ["broken@example.com"], "subject": ');
        await byTestId('review-edit-submit').click();
        const error = byTestId('review-edit-error');
        await error.waitFor({ state: 'visible' });
        const text = await error.innerText();
        if (!/not valid JSON/i.test(text)) throw new Error(`the inline error says "${clip(text)}"`);
        const { body } = await api(`/v1/reviews/${encodeURIComponent(reviewId)}`);
        if (body.status !== 'pending') throw new Error(`the server now has the review ${body.status}`);
        return `"${clip(text, 60)}"`;
      });
      await check('approve edited: the subject replaced', async () => {
        editedPayload = { ...review.payload, subject: editSubject };
        await byTestId('review-edit-payload').fill(JSON.stringify(editedPayload, null, 2));
        await byTestId('review-comment').fill('Subject changed by the review e2e test');
        await byTestId('review-edit-submit').click();
        return `subject "${clip(editSubject, 50)}"`;
      });
    }

    await check(`the panel shows the decision (${expected.status})`, async () => {
      const decision = byTestId('review-decision');
      await decision.waitFor({ state: 'visible' }).catch(async () => {
        const errors = await page.locator('[data-testid="review-error"], [data-testid="review-edit-error"]').allInnerTexts();
        throw new Error(`no decision shown${errors.join(' ').trim() ? `; the panel says: ${clip(errors.join(' '), 200)}` : ''}`);
      });
      const status = await decision.getAttribute('data-status');
      const kind = await decision.getAttribute('data-decision');
      if (status !== expected.status) throw new Error(`review-decision data-status is ${status}, expected ${expected.status}`);
      if (kind !== expected.decision) throw new Error(`review-decision data-decision is ${kind}, expected ${expected.decision}`);
      const badge = await byTestId('review-status').getAttribute('data-status');
      if (badge !== expected.status) throw new Error(`the status badge says ${badge}`);
      if ((await page.locator('[data-testid="review-detail"] [data-testid="review-approve"]').count()) > 0) throw new Error('the actions are still offered');
      if (action === 'reject') {
        const comment = (await byTestId('review-decision-comment').innerText()).trim();
        if (comment !== rejectComment) throw new Error(`the decision's comment is "${clip(comment)}"`);
      }
      if (action === 'edit') {
        const shown = JSON.parse(await byTestId('review-decision-payload').textContent());
        if (!isDeepStrictEqual(shown, editedPayload)) throw new Error(`the edited payload shown is ${clip(JSON.stringify(shown), 120)}`);
      }
      return clip(await decision.innerText(), 90);
    });

    await check('the row shows the new status', async () => {
      const row = rowOf(page, reviewId);
      await page.waitForFunction(
        ([id, s]) => document.querySelector(`[data-testid="review-row"][data-review-id=${JSON.stringify(id)}]`)?.getAttribute('data-status') === s,
        [reviewId, expected.status],
        { timeout: 5000 },
      ).catch(async () => {
        throw new Error(`the row's data-status is ${await row.getAttribute('data-status').catch(() => 'gone')}`);
      });
      return `data-status=${expected.status}`;
    });

    await check('the server recorded the decision (API)', async () => {
      const { status, body } = await api(`/v1/reviews/${encodeURIComponent(reviewId)}`);
      if (status !== 200) throw new Error(`GET answered ${status}`);
      if (body.status !== expected.status) throw new Error(`the review is ${body.status}, expected ${expected.status}`);
      if (body.decision?.decision !== expected.decision) throw new Error(`decision.decision is ${body.decision?.decision}`);
      if (action === 'reject' && body.decision.comment !== rejectComment) throw new Error(`decision.comment is ${JSON.stringify(body.decision.comment)}`);
      if (action === 'edit') {
        const p = body.decision.payload;
        if (!p || p.subject !== editSubject) throw new Error(`decision.payload.subject is ${JSON.stringify(p?.subject)}`);
        if (!isDeepStrictEqual(p.to, review.payload.to) || p.body !== review.payload.body) throw new Error('the edit changed more than the subject');
      }
      return `${body.status}${body.decision.by ? ` by ${body.decision.by}` : ''}`;
    });

    await check('screenshot saved', async () => {
      await page.screenshot({ path: screenshot, fullPage: true });
      return screenshot;
    });

    if (stale) {
      await check('the stale tab’s decision is refused: someone else decided first (409)', async () => {
        const other = action === 'reject' ? 'approve' : 'reject';
        const answered = stale.waitForResponse((r) => r.url().includes('/decision') && r.request().method() === 'POST');
        if (other === 'reject') await stale.locator('[data-testid="review-comment"]').fill('A late decision from a stale tab');
        await stale.locator(`[data-testid="review-${other}"]`).click();
        const response = await answered;
        if (response.status() !== 409) throw new Error(`the server answered ${response.status()} to the second decision, not 409`);
        const error = stale.locator('[data-testid="review-error"]');
        await error.waitFor({ state: 'visible' });
        const text = await error.innerText();
        if (!/someone else decided/i.test(text)) throw new Error(`the error says "${clip(text)}"`);
        const decision = stale.locator('[data-testid="review-decision"]');
        await decision.waitFor({ state: 'visible' });
        const shown = await decision.getAttribute('data-status');
        if (shown !== expected.status) throw new Error(`tab 2 shows the decision as ${shown}, the winner was ${expected.status}`);
        const { body } = await api(`/v1/reviews/${encodeURIComponent(reviewId)}`);
        if (body.status !== expected.status) throw new Error(`the late decision changed the review to ${body.status}`);
        return `"${clip(text, 60)}"`;
      });
    }

    if (chatAgent) {
      await check('the chat run resumes after the decision', async () => {
        await byTestId('nav-chat').click();
        await page
          .waitForFunction(
            () => {
              const all = document.querySelectorAll('[data-testid="run-status"]');
              const s = all[all.length - 1]?.getAttribute('data-status');
              return !!s && !['QUEUED', 'RUNNING', 'WAITING_FOR_REVIEW'].includes(s);
            },
            null,
            { timeout: runTimeoutMs, polling: 250 },
          )
          .catch(() => {
            throw new Error(`the run did not end within ${runTimeoutMs / 1000} s of the decision`);
          });
        const status = await byTestId('run-status').last().getAttribute('data-status');
        if (await page.locator('.turn').last().locator('[data-testid="run-review-link"]').isVisible()) throw new Error('the review link is still shown');
        return status;
      });
    } else if (review?.runId) {
      const run = await api(`/v1/runs/${encodeURIComponent(review.runId)}`).catch(() => null);
      if (run?.status === 200) console.log(`# run ${review.runId} is now ${run.body.status}`);
    }
  });
}

run(main);
