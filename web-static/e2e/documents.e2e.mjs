#!/usr/bin/env node
// Browser end-to-end test of document upload (Documents tab) against a running server: a small Markdown file goes
// inline (POST /v1/documents), a file over the app's inline limit goes through an upload URL (POST
// /v1/documents/uploads, then the browser's PUT of the bytes to the URL, in local mode the gateway's
// /_local/uploads/<token>); both must reach INDEXED in the tab, and the API must have the big one INDEXED with its size.
// The same big file again must be answered unchanged, with no PUT, and the tab must say it is already indexed.
// The file input must offer the types the platform reads (.docx and .eml among them). Last, the small document is
// deleted through its row's Delete… button and the confirm under it (the button disabled while the DELETE runs): its
// row goes and GET /v1/documents no longer lists it, while the big one stays.
//
//   STEWARD_URL                base URL serving the app at `/` and the API (default http://127.0.0.1:8787)
//   STEWARD_API_KEY            a valid key (required); the test adds two documents to its tenant
//   STEWARD_INDEX_TIMEOUT_S    how long each upload may take to reach INDEXED in the tab (default 120)
//   CHROMIUM_PATH              Chromium binary (default /usr/bin/chromium)
//
// The big file is a saved web page (.html) of about 5 MiB whose weight is an embedded photo (a data: URI of random
// bytes) around a paragraph of text: over the limit as a file, a few chunks once the loader keeps only the text, so it
// indexes in seconds even with a real embedding model. Each run's files are new (a stamp in names and text), so a
// rerun against the same tenant uploads again instead of being answered "unchanged".
//
// Prints one line per check and a closing "N passed, N failed" line; exits 0 only when every check passed.
// Writes web-static/target/e2e-documents.png (and e2e-documents-failure.png when a check fails).

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { apiKey, baseUrl, check, configError, inBrowser, loadApp, run, targetPath } from './harness.mjs';

const screenshot = targetPath('e2e-documents.png');
const failureShot = targetPath('e2e-documents-failure.png');

const indexTimeoutS = Number(process.env.STEWARD_INDEX_TIMEOUT_S || '120');
const uiTimeoutMs = 15_000;
const UPLOAD_PATH = '/_local/uploads/';

/** The app's INLINE_UPLOAD_LIMIT, read from src/api/client.ts so the test follows it (a product of whole numbers). */
function inlineUploadLimit() {
  const source = readFileSync(new URL('../src/api/client.ts', import.meta.url), 'utf8');
  const m = /export const INLINE_UPLOAD_LIMIT = ([\d\s*]+);/.exec(source);
  if (!m) throw new Error('src/api/client.ts has no INLINE_UPLOAD_LIMIT of the form a * b * ...');
  return m[1].split('*').reduce((product, factor) => product * Number(factor.trim()), 1);
}

const stamp = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const small = {
  name: `e2e-notes-${stamp}.md`,
  mimeType: 'text/markdown',
  buffer: Buffer.from(`# Valve notes ${stamp}\n\nThe Q-7 valve in hall ${stamp} is serviced every 90 days.\n`, 'utf8'),
};

/** A saved web page of about `limit` + 1 MiB: a heading, the distinctive sentence, and a photo as a data: URI. */
function bigPage(limit) {
  const head = `<!doctype html>\n<html><head><meta charset="utf-8"><title>Pump room ${stamp}</title></head><body>\n`
    + `<h1>Pump room ${stamp}</h1>\n<p>The reset code of the P-90 pump in hall ${stamp} is 4821; hold the red button for ten seconds.</p>\n`
    + '<p><img alt="The pump room" src="data:image/jpeg;base64,';
  const tail = '"></p>\n</body></html>\n';
  const photo = randomBytes(Math.ceil(((limit + 1024 * 1024) * 3) / 4)).toString('base64');
  return Buffer.from(head + photo + tail, 'utf8');
}

/** GET /v1/documents as the server answers it: its documents and the deployment's upload limit. */
async function apiDocumentList() {
  const response = await fetch(`${baseUrl}/v1/documents`, { headers: { Authorization: `Bearer ${apiKey}` } });
  if (!response.ok) throw new Error(`GET /v1/documents answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** The documents of GET /v1/documents. */
async function apiDocuments() {
  return (await apiDocumentList()).documents ?? [];
}

async function main() {
  if (!apiKey) return configError('STEWARD_API_KEY is not set');
  if (!Number.isFinite(indexTimeoutS) || indexTimeoutS <= 0) return configError('STEWARD_INDEX_TIMEOUT_S must be a positive number of seconds');
  const limit = inlineUploadLimit();
  const big = { name: `e2e-pump-room-${stamp}.html`, mimeType: 'text/html', buffer: bigPage(limit) };

  return inBrowser(failureShot, async (openTab) => {
    const page = await openTab({ timeoutMs: uiTimeoutMs });
    const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
    const rowOf = (file) => byTestId('document-row').filter({ has: page.locator('th', { hasText: file.name }) });

    /** Every request the page sends, in order: method, URL, whether it carried an Authorization header, its answer. */
    const requests = [];
    page.on('request', (r) => requests.push({ request: r, method: r.method(), url: new URL(r.url()), authorized: 'authorization' in r.headers() }));
    const uploadPuts = (from) => requests.slice(from).filter((r) => r.method === 'PUT' && r.url.pathname.startsWith(UPLOAD_PATH));
    const sent = (from, method, path) => requests.slice(from).filter((r) => r.method === method && r.url.pathname === path);

    /**
     * Chooses `file` in the real file input and waits for its upload log entry (the newest, at the top) to say
     * `expected` ("was uploaded and is being indexed" unless told); answers where its requests start in `requests`.
     */
    async function upload(file, expected = 'was uploaded and is being indexed.') {
      const from = requests.length;
      const before = await page.locator('.upload-entry').count();
      await byTestId('upload-input').setInputFiles({ name: file.name, mimeType: file.mimeType, buffer: file.buffer });
      await page.waitForFunction((n) => document.querySelectorAll('.upload-entry').length > n, before);
      const entry = page.locator('.upload-entry').first();
      await entry.filter({ hasText: file.name }).filter({ hasNotText: /^Uploading/ }).waitFor({ state: 'visible', timeout: 60_000 });
      const said = await entry.innerText();
      if (!(await entry.getAttribute('class')).split(/\s+/).includes('ok')) throw new Error(`the upload was refused: ${said}`);
      if (!said.includes(expected)) throw new Error(`the upload log says "${said}", not "… ${expected}"`);
      return from;
    }

    /** Waits until the tab shows `file`'s row INDEXED (or FAILED, which fails); answers the row's badge and chunks. */
    async function indexedInTab(file) {
      const row = rowOf(file);
      const started = Date.now();
      await row
        .and(page.locator('[data-status="INDEXED"], [data-status="FAILED"]'))
        .waitFor({ state: 'visible', timeout: indexTimeoutS * 1000 })
        .catch(async () => {
          throw new Error(`the row is still ${await row.getAttribute('data-status').catch(() => 'missing')} after ${indexTimeoutS} s`);
        });
      const status = await row.getAttribute('data-status');
      if (status !== 'INDEXED') throw new Error(`the row is ${status}: ${await row.innerText()}`);
      const badge = (await row.locator('.badge').innerText()).trim();
      if (badge !== 'Indexed') throw new Error(`the badge reads "${badge}", not "Indexed"`);
      const chunks = (await row.locator('td.num').innerText()).trim();
      return { documentId: await row.getAttribute('data-document-id'), chunks, seconds: (Date.now() - started) / 1000 };
    }

    await check('app loads and the key signs in', async () => {
      await loadApp(page);
      await byTestId('api-key-input').fill(apiKey);
      await byTestId('sign-in-button').click();
      await byTestId('nav-documents').waitFor({ state: 'visible' });
      return baseUrl;
    });

    await check('the Documents tab opens with its file input', async () => {
      await byTestId('nav-documents').click();
      if (!page.url().endsWith('#/documents')) throw new Error(`URL is ${page.url()}`);
      await byTestId('upload-input').waitFor({ state: 'attached' });
      return `inline limit ${limit} bytes`;
    });

    await check('the file input accepts the types the platform reads, .docx and .eml among them', async () => {
      const accept = (await byTestId('upload-input').getAttribute('accept')) ?? '';
      const listed = accept.split(',').map((e) => e.trim());
      const missing = ['.md', '.html', '.pdf', '.docx', '.eml', '.mbox', '.csv', '.json'].filter((e) => !listed.includes(e));
      if (missing.length) throw new Error(`accept="${accept}" lacks ${missing.join(', ')}`);
      return accept;
    });

    await check("the hint under the drop zone states this deployment's upload limit, as GET /v1/documents gives it", async () => {
      const maxBytes = (await apiDocumentList()).maxUploadBytes;
      if (!Number.isInteger(maxBytes) || maxBytes <= 0) throw new Error(`GET /v1/documents gives maxUploadBytes ${maxBytes}`);
      // Stated exactly, as formats.ts does: whole MiB, whole KiB, else bytes.
      const [unit, size] = [['MiB', 1024 * 1024], ['KiB', 1024], ['bytes', 1]].find(([, n]) => maxBytes >= n && maxBytes % n === 0);
      const expected = `up to ${maxBytes / size} ${unit} each.`;
      const hint = byTestId('upload-hint');
      await page
        .waitForFunction(([el, want]) => el.textContent.endsWith(want), [await hint.elementHandle(), expected], { timeout: uiTimeoutMs })
        .catch(async () => {
          throw new Error(`the hint reads "${await hint.innerText()}", not "… ${expected}" (maxUploadBytes ${maxBytes})`);
        });
      return await hint.innerText();
    });

    let smallFrom;
    await check(`a small Markdown file (${small.buffer.length} bytes) is sent inline`, async () => {
      smallFrom = await upload(small);
      const inline = sent(smallFrom, 'POST', '/v1/documents').filter((r) => r.url.searchParams.get('filename') === small.name);
      if (inline.length !== 1) throw new Error(`${inline.length} POST /v1/documents?filename=${small.name}`);
      if (sent(smallFrom, 'POST', '/v1/documents/uploads').length) throw new Error('it asked for an upload URL');
      if (uploadPuts(smallFrom).length) throw new Error(`it PUT to ${uploadPuts(smallFrom)[0].url.pathname}`);
      return small.name;
    });

    await check('the small file reaches Indexed in the tab', async () => {
      const shown = await indexedInTab(small);
      return `${shown.chunks} chunk(s) after ${shown.seconds.toFixed(1)} s`;
    });

    let bigPut;
    await check(`a ${(big.buffer.length / (1024 * 1024)).toFixed(1)} MiB file goes through an upload URL: the browser PUTs it to ${UPLOAD_PATH}`, async () => {
      if (big.buffer.length <= limit) throw new Error(`the file is ${big.buffer.length} bytes, not over the limit`);
      const from = await upload(big);
      const asked = sent(from, 'POST', '/v1/documents/uploads');
      if (asked.length !== 1) throw new Error(`${asked.length} POST /v1/documents/uploads`);
      if (sent(from, 'POST', '/v1/documents').length) throw new Error('it was also sent inline');
      const puts = uploadPuts(from);
      if (puts.length !== 1) throw new Error(`${puts.length} PUTs to ${UPLOAD_PATH}; requests: ${requests.slice(from).map((r) => `${r.method} ${r.url.pathname}`).join(', ')}`);
      bigPut = puts[0];
      if (bigPut.authorized) throw new Error('the PUT carried the API key (Authorization header)');
      const answer = await bigPut.request.response();
      if (!answer || answer.status() !== 200) throw new Error(`the PUT was answered ${answer ? answer.status() : 'nothing'}`);
      return `PUT ${bigPut.url.origin}${UPLOAD_PATH}… answered 200`;
    });

    let bigInTab;
    await check('the big file reaches Indexed in the tab', async () => {
      bigInTab = await indexedInTab(big);
      return `${bigInTab.chunks} chunk(s) after ${bigInTab.seconds.toFixed(1)} s`;
    });

    await check('no upload PUT was made for the small file', async () => {
      const puts = uploadPuts(smallFrom).filter((r) => r !== bigPut);
      if (puts.length) throw new Error(`${puts.length} other PUTs to ${UPLOAD_PATH}`);
      return `1 PUT in ${requests.length - smallFrom} requests since the small upload`;
    });

    await check('the API has both INDEXED, the big one with its size and the chunks the tab shows', async () => {
      const documents = await apiDocuments();
      const found = {};
      for (const file of [small, big]) {
        const doc = documents.find((d) => d.name === file.name);
        if (!doc) throw new Error(`GET /v1/documents has no ${file.name}`);
        if (doc.status !== 'INDEXED') throw new Error(`${file.name} is ${doc.status}${doc.reason ? `: ${doc.reason}` : ''}`);
        if (doc.sizeBytes !== file.buffer.length) throw new Error(`${file.name} has sizeBytes ${doc.sizeBytes}, not ${file.buffer.length}`);
        found[file.name] = doc;
      }
      const doc = found[big.name];
      if (doc.documentId !== bigInTab.documentId) throw new Error(`the tab's row is ${bigInTab.documentId}, the API's ${doc.documentId}`);
      if (!(doc.chunks > 0) || String(doc.chunks) !== bigInTab.chunks) throw new Error(`${doc.chunks} chunks in the API, ${bigInTab.chunks} in the tab`);
      return `${big.name}: ${doc.sizeBytes} bytes, ${doc.chunks} chunk(s)`;
    });

    await check('the same big file again is answered unchanged: the log says so, no PUT, still one INDEXED document', async () => {
      const from = await upload(big, 'is already indexed with the same content.');
      const asked = sent(from, 'POST', '/v1/documents/uploads');
      if (asked.length !== 1) throw new Error(`${asked.length} POST /v1/documents/uploads`);
      const answer = await asked[0].request.response();
      const body = answer ? await answer.json() : {};
      if (answer?.status() !== 200 || body.unchanged !== true) throw new Error(`answered ${answer?.status()}: ${JSON.stringify(body)}`);
      if (uploadPuts(from).length) throw new Error(`it PUT to ${UPLOAD_PATH} again`);
      const shown = await indexedInTab(big);
      const same = (await apiDocuments()).filter((d) => d.name === big.name);
      if (same.length !== 1 || same[0].status !== 'INDEXED' || same[0].documentId !== shown.documentId) {
        throw new Error(`the API lists ${JSON.stringify(same.map((d) => [d.documentId, d.status]))}, the tab ${shown.documentId}`);
      }
      return `${body.documentId} unchanged`;
    });

    let deletedId;
    await check('the small document is deleted through its row: Delete…, then the confirm; the button is disabled while the DELETE runs; the row goes', async () => {
      const row = rowOf(small);
      deletedId = await row.getAttribute('data-document-id');
      const path = `/v1/documents/${encodeURIComponent(deletedId)}`;
      const from = requests.length;
      // The DELETE is held until the page has shown it busy, so the check cannot miss the moment.
      let release;
      const held = new Promise((resolve) => {
        release = resolve;
      });
      let reachedServer;
      const reached = new Promise((resolve) => {
        reachedServer = resolve;
      });
      const matches = (url) => url.pathname === path;
      const hold = async (route) => {
        if (route.request().method() === 'DELETE') {
          reachedServer();
          await held;
        }
        await route.continue();
      };
      await page.route(matches, hold);
      try {
        await row.getByRole('button', { name: `Delete ${small.name}` }).click();
        const confirm = page.getByRole('group', { name: `Delete ${small.name}` });
        await confirm.waitFor({ state: 'visible', timeout: uiTimeoutMs });
        const yes = confirm.getByRole('button', { name: 'Delete', exact: true });
        await yes.click();
        await reached;
        if (!(await yes.isDisabled())) throw new Error('the confirm button is enabled while the DELETE runs');
        if (!(await row.getByRole('button', { name: `Delete ${small.name}` }).isDisabled())) throw new Error("the row's Delete… button is enabled while the DELETE runs");
      } finally {
        release();
      }
      await row.waitFor({ state: 'detached', timeout: uiTimeoutMs });
      await page.unroute(matches, hold);
      const deletes = sent(from, 'DELETE', path);
      if (deletes.length !== 1) throw new Error(`${deletes.length} DELETE ${path}`);
      const answer = await deletes[0].request.response();
      const body = answer ? await answer.json() : {};
      if (answer?.status() !== 200 || body.deleted !== true || body.documentId !== deletedId) throw new Error(`answered ${answer?.status()}: ${JSON.stringify(body)}`);
      const said = await byTestId('documents-status').innerText();
      if (!said.includes(`${small.name} deleted.`)) throw new Error(`the status line says "${said}"`);
      if (await byTestId('documents-error').isVisible()) throw new Error(`the error line says "${await byTestId('documents-error').innerText()}"`);
      return `DELETE ${path} answered 200`;
    });

    await check('GET /v1/documents no longer lists the small document; the big one is still there', async () => {
      const documents = await apiDocuments();
      const left = documents.filter((d) => d.documentId === deletedId || d.name === small.name);
      if (left.length) throw new Error(`it still lists ${JSON.stringify(left.map((d) => [d.documentId, d.name, d.status]))}`);
      if (!documents.some((d) => d.name === big.name && d.status === 'INDEXED')) throw new Error(`${big.name} is gone too`);
      return `${documents.length} document(s) left`;
    });

    await check('screenshot saved', async () => {
      await page.screenshot({ path: screenshot, fullPage: true });
      return screenshot;
    });
  });
}

run(main);
