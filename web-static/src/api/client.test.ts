import { describe, expect, it } from 'vitest';
import { ApiError, decisionBody, INLINE_UPLOAD_LIMIT, isRunFinished, pollRun, runsQuery, StewardClient, type FetchLike, type Review, type Run } from './client';
import { prettyJson } from '../lib/json';

interface Call {
  url: string;
  init: RequestInit | undefined;
}

/** A fetch stub that answers from a queue of [status, body] pairs and records every call. */
function stubFetch(...answers: [number, unknown][]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected call ${url}`);
    const [status, body] = next;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetch, calls };
}

const header = (call: Call, name: string) => new Headers(call.init?.headers).get(name);

describe('StewardClient', () => {
  it('lists agents with the bearer key on a same-origin relative URL', async () => {
    const { fetch, calls } = stubFetch([200, { agents: [{ name: 'knowledge-assistant', description: 'Answers' }] }]);
    const client = new StewardClient({ apiKey: '  stw_acme_k1_s3cret ', fetch });
    const list = await client.listAgents();
    expect(list.agents[0]!.name).toBe('knowledge-assistant');
    expect(calls[0]!.url).toBe('/v1/agents');
    expect(calls[0]!.init?.method).toBe('GET');
    expect(header(calls[0]!, 'Authorization')).toBe('Bearer stw_acme_k1_s3cret');
  });

  it('turns the API error shape into an ApiError with status, code and message', async () => {
    const { fetch } = stubFetch([401, { error: { code: 'unauthorized', message: 'the API key does not match' } }]);
    const client = new StewardClient({ apiKey: 'stw_acme_k1_bad', fetch });
    const err = await client.listAgents().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, code: 'unauthorized', message: 'the API key does not match' });
  });

  it('reports a non-JSON error body with the HTTP status', async () => {
    const { fetch } = stubFetch([502, '<html>Bad gateway</html>']);
    const err = await new StewardClient({ apiKey: 'k', fetch }).listDocuments().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, code: 'http_502' });
    expect((err as Error).message).toContain('502');
  });

  it('reports a network failure as network_error', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    const err = await new StewardClient({ apiKey: 'k', fetch }).listAgents().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: 'network_error' });
  });

  it('creates a run with a JSON body', async () => {
    const { fetch, calls } = stubFetch([202, { runId: 'run_1', status: 'QUEUED' }]);
    const accepted = await new StewardClient({ apiKey: 'k', fetch }).createRun({ agent: 'knowledge-assistant', input: 'What is Steward?' });
    expect(accepted).toEqual({ runId: 'run_1', status: 'QUEUED' });
    expect(calls[0]!.url).toBe('/v1/runs');
    expect(calls[0]!.init?.method).toBe('POST');
    expect(header(calls[0]!, 'Content-Type')).toBe('application/json');
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({ agent: 'knowledge-assistant', input: 'What is Steward?' });
  });

  it('sends a run\'s filters with the question', async () => {
    const { fetch, calls } = stubFetch([202, { runId: 'run_2', status: 'QUEUED' }]);
    await new StewardClient({ apiKey: 'k', fetch }).createRun({ agent: 'a', input: 'q', filters: { source: 'faq.md' } });
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({ agent: 'a', input: 'q', filters: { source: 'faq.md' } });
  });

  it('uploads raw bytes as octet-stream with the file name in the query, encoded', async () => {
    const { fetch, calls } = stubFetch([202, { documentId: 'doc_1', name: 'my notes&.md', status: 'QUEUED' }]);
    const bytes = new TextEncoder().encode('# Notes');
    const accepted = await new StewardClient({ apiKey: 'k', fetch }).uploadDocument('my notes&.md', bytes);
    expect(accepted.documentId).toBe('doc_1');
    expect(calls[0]!.url).toBe('/v1/documents?filename=my%20notes%26.md');
    expect(calls[0]!.init?.method).toBe('POST');
    expect(header(calls[0]!, 'Content-Type')).toBe('application/octet-stream');
    expect(calls[0]!.init?.body).toBe(bytes);
  });

  it('uploads a file over the inline limit through its upload URL, with the signed headers and no API key', async () => {
    const upload = { method: 'PUT', url: 'https://bucket.s3.amazonaws.com/k?X-Amz-Signature=s', expiresAt: '2026-01-01T00:15:00Z',
      headers: { 'content-length': '4194305', 'x-amz-checksum-sha256': 'leRBymXNQfoBsqcXmeef1g21ntNPE68yqR6F+QN4Z2w=' } };
    const { fetch, calls } = stubFetch([201, { documentId: 'doc_9', name: 'manual.pdf', status: 'QUEUED', replaces: false, upload }], [200, '']);
    const bytes = new Uint8Array(INLINE_UPLOAD_LIMIT + 1);
    const accepted = await new StewardClient({ apiKey: 'k', fetch }).uploadDocument('manual.pdf', new Blob([bytes]));
    expect(accepted.documentId).toBe('doc_9');
    expect(calls[0]!.url).toBe('/v1/documents/uploads');
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({
      name: 'manual.pdf', size: 4194305, sha256: '95e441ca65cd41fa01b2a71799e79fd60db59ed34f13af32a91e85f90378676c' });
    expect(calls[1]!.url).toBe(upload.url);
    expect(calls[1]!.init?.method).toBe('PUT');
    expect(header(calls[1]!, 'x-amz-checksum-sha256')).toBe(upload.headers['x-amz-checksum-sha256']);
    expect(header(calls[1]!, 'Authorization')).toBeNull();
    expect(header(calls[1]!, 'Content-Length')).toBeNull();
    expect((calls[1]!.init?.body as Blob).size).toBe(INLINE_UPLOAD_LIMIT + 1);
  });

  it('reports a refused PUT to an upload URL, and sends nothing when the same bytes are already indexed', async () => {
    const upload = { method: 'PUT', url: 'https://s3.test/k', headers: {}, expiresAt: '2026-01-01T00:15:00Z' };
    const refused = stubFetch([201, { documentId: 'doc_9', name: 'a.pdf', status: 'QUEUED', upload }],
      [403, '<Error><Code>SignatureDoesNotMatch</Code></Error>']);
    const err = await new StewardClient({ apiKey: 'k', fetch: refused.fetch }).uploadDocument('a.pdf', new Uint8Array(INLINE_UPLOAD_LIMIT + 1)).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403, code: 'http_403' });

    const same = stubFetch([200, { documentId: 'doc_9', name: 'a.pdf', status: 'INDEXED', unchanged: true }]);
    const accepted = await new StewardClient({ apiKey: 'k', fetch: same.fetch }).uploadDocument('a.pdf', new Uint8Array(INLINE_UPLOAD_LIMIT + 1));
    expect(accepted.documentId).toBe('doc_9');
    expect(same.calls).toHaveLength(1);
  });

  it('surfaces unsupported_type on upload', async () => {
    const { fetch } = stubFetch([415, { error: { code: 'unsupported_type', message: 'files of type .exe are not supported; use txt, md, html or pdf' } }]);
    const err = await new StewardClient({ apiKey: 'k', fetch }).uploadDocument('x.exe', new Uint8Array([1])).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 415, code: 'unsupported_type' });
  });

  it('encodes ids in paths and honours a base URL', async () => {
    const { fetch, calls } = stubFetch([200, { runId: 'a/b', status: 'RUNNING' }], [200, { documentId: 'd 1' }]);
    const client = new StewardClient({ apiKey: 'k', fetch, baseUrl: 'https://api.example.test/' });
    await client.getRun('a/b');
    await client.getDocument('d 1');
    expect(calls.map((c) => c.url)).toEqual(['https://api.example.test/v1/runs/a%2Fb', 'https://api.example.test/v1/documents/d%201']);
  });
});

describe('deleteDocument', () => {
  it('sends DELETE /v1/documents/{id} with the key, no body, the id encoded', async () => {
    const { fetch, calls } = stubFetch([200, { documentId: 'doc/1 ä', deleted: true }]);
    const client = new StewardClient({ apiKey: 'k', fetch, baseUrl: 'https://api.example.test' });
    expect(await client.deleteDocument('doc/1 ä')).toEqual({ documentId: 'doc/1 ä', deleted: true });
    expect(calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual(['DELETE https://api.example.test/v1/documents/doc%2F1%20%C3%A4']);
    expect(calls[0]!.init?.body).toBeUndefined();
    expect(header(calls[0]!, 'Authorization')).toBe('Bearer k');
  });

  it('surfaces 404 for an unknown id and 503 storage_unavailable', async () => {
    const { fetch } = stubFetch(
      [404, { error: { code: 'not_found', message: 'document d1 not found' } }],
      [503, { error: { code: 'storage_unavailable', message: 'the document could not be deleted; try again' } }],
    );
    const client = new StewardClient({ apiKey: 'k', fetch });
    const errors = [await client.deleteDocument('d1').catch((e: unknown) => e), await client.deleteDocument('d2').catch((e: unknown) => e)];
    expect(errors.map((e) => [(e as ApiError).status, (e as ApiError).code])).toEqual([
      [404, 'not_found'],
      [503, 'storage_unavailable'],
    ]);
  });
});

describe('usage', () => {
  const day = { day: '2025-03-03', tokensIn: 1200, tokensOut: 300, modelCalls: 4, guardrailVerdicts: { 'RETRIEVED_CHUNK.REDACT': 2 } };

  it('asks for the tenant\'s usage over a number of days', async () => {
    const { fetch, calls } = stubFetch([200, { days: [day] }]);
    const report = await new StewardClient({ apiKey: 'k', fetch }).getUsage(30);
    expect(report.days[0]).toEqual(day);
    expect(report.agent).toBeUndefined();
    expect(`${calls[0]!.init?.method} ${calls[0]!.url}`).toBe('GET /v1/usage?days=30');
    expect(header(calls[0]!, 'Authorization')).toBe('Bearer k');
  });

  it('asks for one agent with its name encoded, and for the whole tenant when the agent is empty', async () => {
    const { fetch, calls } = stubFetch([200, { agent: 'support agent&co', days: [day] }], [200, { days: [] }]);
    const client = new StewardClient({ apiKey: 'k', fetch });
    expect((await client.getUsage(7, 'support agent&co')).agent).toBe('support agent&co');
    await client.getUsage(90, '');
    expect(calls.map((c) => c.url)).toEqual(['/v1/usage?days=7&agent=support%20agent%26co', '/v1/usage?days=90']);
  });

  it('surfaces the server\'s message for a period it refuses', async () => {
    const { fetch } = stubFetch([400, { error: { code: 'invalid_request', message: "'days' must be a whole number from 1 to 90" } }]);
    const err = await new StewardClient({ apiKey: 'k', fetch }).getUsage(91).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_request', message: "'days' must be a whole number from 1 to 90" });
  });
});

describe('listing runs', () => {
  const summary = { runId: 'run_1', agent: 'support-agent', status: 'WAITING_FOR_REVIEW', inputPreview: 'Refund <EMAIL_1>', reviewId: 'rev_1', createdAt: '2025-03-03T10:00:00Z', updatedAt: '2025-03-03T10:00:01Z' };

  it('asks for the newest page with no query when nothing is given', async () => {
    const { fetch, calls } = stubFetch([200, { runs: [summary], nextCursor: 'c1' }]);
    const page = await new StewardClient({ apiKey: 'k', fetch }).listRuns();
    expect(page).toEqual({ runs: [summary], nextCursor: 'c1' });
    expect(`${calls[0]!.init?.method} ${calls[0]!.url}`).toBe('GET /v1/runs');
    expect(header(calls[0]!, 'Authorization')).toBe('Bearer k');
  });

  it('encodes limit, cursor, status and agent, and leaves empty ones out', async () => {
    const { fetch, calls } = stubFetch([200, { runs: [], nextCursor: null }], [200, { runs: [], nextCursor: null }]);
    const client = new StewardClient({ apiKey: 'k', fetch });
    await client.listRuns({ limit: 20, cursor: 'eyJ+a/b=', status: 'waiting_for_review', agent: 'support agent&co' });
    await client.listRuns({ limit: null, cursor: '', status: null, agent: '' });
    expect(calls.map((c) => c.url)).toEqual([
      '/v1/runs?limit=20&cursor=eyJ%2Ba%2Fb%3D&status=waiting_for_review&agent=support%20agent%26co',
      '/v1/runs',
    ]);
  });

  it('reads its query back exactly as given', () => {
    const query = runsQuery({ limit: 5, cursor: 'a b+c', agent: 'x&y=z' });
    const params = new URLSearchParams(query.slice(1));
    expect(query.startsWith('?')).toBe(true);
    expect([...params]).toEqual([['limit', '5'], ['cursor', 'a b+c'], ['agent', 'x&y=z']]);
    expect(runsQuery({})).toBe('');
  });

  it('surfaces the parameter the server names in a 400', async () => {
    const { fetch } = stubFetch([400, { error: { code: 'invalid_request', message: "'cursor' is not a cursor of this listing" } }]);
    const err = await new StewardClient({ apiKey: 'k', fetch }).listRuns({ cursor: 'junk' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, code: 'invalid_request', message: "'cursor' is not a cursor of this listing" });
  });
});

describe('integrations', () => {
  const zendeskHook = {
    source: 'zendesk',
    agent: 'support-agent',
    events: ['zen:event-type:ticket.created'],
    path: '/v1/hooks/acme/zendesk',
    updatedAt: '2025-03-03T10:00:00Z',
    updatedBy: 'key:k1',
  };
  const zendeskConnection = { vendor: 'zendesk', subdomain: 'acme', email: 'agent@acme.com', tokenSet: true, updatedAt: '2025-03-03T10:00:00Z', updatedBy: 'key:k1' };

  it('lists webhooks and connections with the bearer key', async () => {
    const { fetch, calls } = stubFetch([200, { webhooks: [zendeskHook] }], [200, { connections: [zendeskConnection] }]);
    const client = new StewardClient({ apiKey: 'k', fetch });
    expect((await client.listWebhooks()).webhooks).toEqual([zendeskHook]);
    expect((await client.listConnections()).connections).toEqual([zendeskConnection]);
    expect(calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual(['GET /v1/webhooks', 'GET /v1/connections']);
    expect(calls.map((c) => header(c, 'Authorization'))).toEqual(['Bearer k', 'Bearer k']);
  });

  it('saves a webhook with PUT and exactly the agent, secret and events as JSON', async () => {
    const { fetch, calls } = stubFetch([200, zendeskHook]);
    const saved = await new StewardClient({ apiKey: 'k', fetch }).saveWebhook('zendesk', {
      agent: 'support-agent',
      secret: 'a-signing-secret-0123',
      events: ['zen:event-type:ticket.created'],
    });
    expect(saved.path).toBe('/v1/hooks/acme/zendesk');
    expect(`${calls[0]!.init?.method} ${calls[0]!.url}`).toBe('PUT /v1/webhooks/zendesk');
    expect(header(calls[0]!, 'Content-Type')).toBe('application/json');
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({
      agent: 'support-agent',
      secret: 'a-signing-secret-0123',
      events: ['zen:event-type:ticket.created'],
    });
  });

  it('saves a connection with PUT: Zendesk with subdomain, email and token, HubSpot with the token only', async () => {
    const { fetch, calls } = stubFetch([200, zendeskConnection], [200, { vendor: 'hubspot', tokenSet: true }]);
    const client = new StewardClient({ apiKey: 'k', fetch });
    const zendesk = await client.saveConnection('zendesk', { subdomain: 'acme', email: 'agent@acme.com', token: 'zd-token-0123' });
    const hubspot = await client.saveConnection('hubspot', { token: 'pat-na1-0123' });
    expect(zendesk.subdomain).toBe('acme');
    expect(hubspot).toEqual({ vendor: 'hubspot', tokenSet: true });
    expect(calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual(['PUT /v1/connections/zendesk', 'PUT /v1/connections/hubspot']);
    expect(calls.map((c) => JSON.parse(String(c.init?.body)))).toEqual([
      { subdomain: 'acme', email: 'agent@acme.com', token: 'zd-token-0123' },
      { token: 'pat-na1-0123' },
    ]);
  });

  it('deletes a webhook and a connection with DELETE and no body', async () => {
    const { fetch, calls } = stubFetch([200, { source: 'hubspot', deleted: true }], [200, { vendor: 'zendesk', deleted: true }]);
    const client = new StewardClient({ apiKey: 'k', fetch });
    expect(await client.deleteWebhook('hubspot')).toEqual({ source: 'hubspot', deleted: true });
    expect(await client.deleteConnection('zendesk')).toEqual({ vendor: 'zendesk', deleted: true });
    expect(calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual(['DELETE /v1/webhooks/hubspot', 'DELETE /v1/connections/zendesk']);
    expect(calls.map((c) => c.init?.body)).toEqual([undefined, undefined]);
  });

  it('surfaces 403 for a key that is not an admin, 400 for a bad subdomain and 404 when nothing is set up', async () => {
    const { fetch } = stubFetch(
      [403, { error: { code: 'forbidden', message: 'role member cannot connect vendors; use an admin key' } }],
      [400, { error: { code: 'invalid_request', message: "'subdomain' must be the name before .zendesk.com" } }],
      [404, { error: { code: 'not_found', message: 'webhook hubspot not found' } }],
    );
    const client = new StewardClient({ apiKey: 'k', fetch });
    const errors = [
      await client.saveConnection('hubspot', { token: 'pat-na1-0123' }).catch((e: unknown) => e),
      await client.saveConnection('zendesk', { subdomain: 'a.b', email: 'a@b.co', token: 'zd-token-0123' }).catch((e: unknown) => e),
      await client.deleteWebhook('hubspot').catch((e: unknown) => e),
    ];
    for (const e of errors) expect(e).toBeInstanceOf(ApiError);
    expect(errors.map((e) => [(e as ApiError).status, (e as ApiError).code, (e as ApiError).message])).toEqual([
      [403, 'forbidden', 'role member cannot connect vendors; use an admin key'],
      [400, 'invalid_request', "'subdomain' must be the name before .zendesk.com"],
      [404, 'not_found', 'webhook hubspot not found'],
    ]);
  });
});

describe('reviews', () => {
  const review = (over: Partial<Review> = {}): Review => ({
    reviewId: 'rev_1',
    runId: 'run_1',
    agent: 'support-agent',
    status: 'pending',
    tool: 'send_email',
    sideEffect: 'EXTERNAL_WRITE',
    payload: { to: ['customer@example.com'], subject: 'Your refund', body: 'Hello' },
    payloadHash: 'ab12',
    reason: 'tool send_email has external side effects',
    createdAt: '2025-01-02T10:00:00Z',
    expiresAt: '2025-01-03T10:00:00Z',
    ...over,
  });

  it('lists pending reviews by default, and any other status on request', async () => {
    const { fetch, calls } = stubFetch([200, { reviews: [review()] }], [200, { reviews: [] }]);
    const client = new StewardClient({ apiKey: 'k', fetch });
    const pending = await client.listReviews();
    expect(pending.reviews[0]!.reviewId).toBe('rev_1');
    await client.listReviews('all');
    expect(calls.map((c) => `${c.init?.method} ${c.url}`)).toEqual(['GET /v1/reviews?status=pending', 'GET /v1/reviews?status=all']);
    expect(header(calls[0]!, 'Authorization')).toBe('Bearer k');
  });

  it('gets one review by encoded id and keeps the payload exactly as sent', async () => {
    const raw = '{"reviewId":"rev/1","runId":"run_1","agent":"a","status":"pending","tool":"pay","payload":{"amount":12345678901234567890,"fee":0.10}}';
    const { fetch, calls } = stubFetch([200, raw]);
    const got = await new StewardClient({ apiKey: 'k', fetch }).getReview('rev/1');
    expect(calls[0]!.url).toBe('/v1/reviews/rev%2F1');
    expect(got.tool).toBe('pay');
    expect(prettyJson(got.payload)).toBe('{\n  "amount": 12345678901234567890,\n  "fee": 0.10\n}');
  });

  it('approves with exactly {"decision":"approve"}', async () => {
    const { fetch, calls } = stubFetch([200, review({ status: 'approved', decision: { decision: 'approve', by: 'key:k1', at: '2025-01-02T10:01:00Z' } })]);
    const decided = await new StewardClient({ apiKey: 'k', fetch }).decideReview('rev_1', { decision: 'approve' });
    expect(decided.status).toBe('approved');
    expect(calls[0]!.url).toBe('/v1/reviews/rev_1/decision');
    expect(calls[0]!.init?.method).toBe('POST');
    expect(header(calls[0]!, 'Content-Type')).toBe('application/json');
    expect(calls[0]!.init?.body).toBe('{"decision":"approve"}');
  });

  it('rejects with a comment', async () => {
    const { fetch, calls } = stubFetch([200, review({ status: 'rejected' })]);
    await new StewardClient({ apiKey: 'k', fetch }).decideReview('rev_1', { decision: 'reject', comment: 'wrong "customer"' });
    expect(JSON.parse(String(calls[0]!.init?.body))).toEqual({ decision: 'reject', comment: 'wrong "customer"' });
  });

  it('sends an edited payload verbatim (numbers and key order as typed), with the comment when there is one', () => {
    const typed = '{\n  "to": ["a@example.com"],\n  "amount": 12345678901234567890,\n  "fee": 0.10\n}';
    expect(decisionBody({ decision: 'edit', payloadJson: typed, comment: 'fixed the address' })).toBe(
      '{"decision":"edit","payload":{"to":["a@example.com"],"amount":12345678901234567890,"fee":0.10},"comment":"fixed the address"}',
    );
    expect(decisionBody({ decision: 'edit', payloadJson: '{"a":1}', comment: '  ' })).toBe('{"decision":"edit","payload":{"a":1}}');
    const body = JSON.parse(decisionBody({ decision: 'edit', payloadJson: '{"s":"}{\\"x"}' }));
    expect(body).toEqual({ decision: 'edit', payload: { s: '}{"x' } });
    expect(() => decisionBody({ decision: 'edit', payloadJson: '{"a":' })).toThrow(SyntaxError);
  });

  it.each([
    [409, 'already_decided', 'the review was already approved'],
    [403, 'forbidden', 'role member may not decide reviews'],
    [400, 'invalid_request', 'payload.to must be an array of strings'],
  ])('surfaces HTTP %i %s on a decision', async (status, code, message) => {
    const { fetch } = stubFetch([status, { error: { code, message } }]);
    const err = await new StewardClient({ apiKey: 'k', fetch }).decideReview('rev_1', { decision: 'approve' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status, code, message });
  });

  it('reports a review response that is not JSON as bad_response', async () => {
    const { fetch } = stubFetch([200, '{"reviews":[']);
    await expect(new StewardClient({ apiKey: 'k', fetch }).listReviews()).rejects.toMatchObject({ code: 'bad_response' });
  });
});

describe('pollRun', () => {
  const run = (status: Run['status']): Run => ({ runId: 'run_1', agent: 'a', input: 'q', status });

  it('polls every interval until the run is no longer QUEUED or RUNNING', async () => {
    const { fetch, calls } = stubFetch([200, run('QUEUED')], [200, run('RUNNING')], [200, run('RUNNING')], [200, run('SUCCEEDED')]);
    const sleeps: number[] = [];
    const seen: string[] = [];
    const final = await pollRun(new StewardClient({ apiKey: 'k', fetch }), 'run_1', {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onUpdate: (r) => seen.push(r.status),
    });
    expect(final.status).toBe('SUCCEEDED');
    expect(calls).toHaveLength(4);
    expect(calls.every((c) => c.url === '/v1/runs/run_1')).toBe(true);
    expect(sleeps).toEqual([500, 500, 500]);
    expect(seen).toEqual(['QUEUED', 'RUNNING', 'RUNNING', 'SUCCEEDED']);
  });

  it.each(['FAILED', 'HALTED'] as const)('stops at %s', async (status) => {
    const { fetch } = stubFetch([200, run('RUNNING')], [200, { ...run(status), error: 'boom' }]);
    const final = await pollRun(new StewardClient({ apiKey: 'k', fetch }), 'run_1', { sleep: async () => {} });
    expect(final).toMatchObject({ status, error: 'boom' });
  });

  it('gives up after the timeout', async () => {
    let t = 0;
    const client = { getRun: async () => run('RUNNING') };
    const err = await pollRun(client, 'run_1', {
      intervalMs: 500,
      timeoutMs: 2000,
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'poll_timeout' });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const client = { getRun: async () => run('RUNNING') };
    const promise = pollRun(client, 'run_1', { intervalMs: 10_000, signal: controller.signal });
    controller.abort();
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('treats only QUEUED, RUNNING and WAITING_FOR_REVIEW as unfinished', () => {
    expect(['QUEUED', 'RUNNING', 'WAITING_FOR_REVIEW', 'SUCCEEDED', 'HALTED', 'FAILED', 'SOMETHING_NEW'].map(isRunFinished)).toEqual([
      false, false, false, true, true, true, true,
    ]);
  });

  it('keeps polling a run WAITING_FOR_REVIEW, at the waiting interval, until it resumes and ends', async () => {
    const waiting = { ...run('WAITING_FOR_REVIEW'), reviewId: 'rev_1' };
    const { fetch } = stubFetch([200, run('RUNNING')], [200, waiting], [200, waiting], [200, run('RUNNING')], [200, run('SUCCEEDED')]);
    const sleeps: number[] = [];
    const seen: string[] = [];
    const final = await pollRun(new StewardClient({ apiKey: 'k', fetch }), 'run_1', {
      intervalMs: 500,
      waitingIntervalMs: 2000,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onUpdate: (r) => seen.push(r.reviewId ? `${r.status}:${r.reviewId}` : r.status),
    });
    expect(final.status).toBe('SUCCEEDED');
    expect(seen).toEqual(['RUNNING', 'WAITING_FOR_REVIEW:rev_1', 'WAITING_FOR_REVIEW:rev_1', 'RUNNING', 'SUCCEEDED']);
    expect(sleeps).toEqual([500, 2000, 2000, 500]);
  });

  it('does not count time waiting for a review against the timeout', async () => {
    let t = 0;
    const states: Run['status'][] = ['RUNNING', ...Array<Run['status']>(100).fill('WAITING_FOR_REVIEW'), 'RUNNING', 'SUCCEEDED'];
    const client = { getRun: async () => run(states.shift()!) };
    const final = await pollRun(client, 'run_1', {
      intervalMs: 500,
      waitingIntervalMs: 60_000,
      timeoutMs: 2000,
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
    });
    expect(final.status).toBe('SUCCEEDED');
    expect(t).toBeGreaterThan(100 * 60_000);
  });
});

describe('ApiError.from', () => {
  it('keeps an ApiError and wraps anything else as status 0, unexpected', () => {
    const refused = new ApiError(403, 'forbidden', 'admins only');
    expect(ApiError.from(refused)).toBe(refused);
    const wrapped = ApiError.from(new TypeError('Failed to fetch'));
    expect(wrapped).toBeInstanceOf(ApiError);
    expect([wrapped.status, wrapped.code, wrapped.message]).toEqual([0, 'unexpected', 'TypeError: Failed to fetch']);
  });
});
