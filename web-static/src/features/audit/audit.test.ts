import { describe, expect, it } from 'vitest';
import { auditQuery, type AuditEvent } from '../../api/audit';
import { ApiError, StewardClient, type FetchLike } from '../../api/client';
import { parseRoute } from '../../lib/routes';
import { actionLabel, appendEvents, AUDIT_ACTIONS, detailText, emptyAuditText } from './auditHelpers';

const event = (eventId: string, action = 'connection.saved'): AuditEvent => ({
  eventId,
  at: '2026-05-01T12:00:00Z',
  actor: 'key:Ab12Cd34Ef56',
  role: 'admin',
  action,
  target: 'zendesk',
  detail: {},
});

function stubFetch(status: number, body: unknown): { fetch: FetchLike; urls: string[] } {
  const urls: string[] = [];
  const fetch: FetchLike = async (url) => {
    urls.push(url);
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetch, urls };
}

describe('audit trail', () => {
  it('labels every action the API records, and an unknown one as sent', () => {
    expect(AUDIT_ACTIONS).toEqual([
      'tenant.created',
      'tenant.budget_set',
      'api_key.created',
      'connection.saved',
      'connection.removed',
      'webhook.saved',
      'webhook.removed',
      'policy.published',
      'review.decided',
      'document.removed',
    ]);
    expect(actionLabel('api_key.created')).toBe('API key issued');
    expect(actionLabel('agent.saved')).toBe('agent.saved');
  });

  it('encodes limit, cursor, action and time range, and leaves empty ones out', () => {
    expect(auditQuery({ limit: 20, cursor: 'eyJ+a/b=', action: 'review.decided', since: '2026-05-01T00:00:00Z', until: null })).toBe(
      '?limit=20&cursor=eyJ%2Ba%2Fb%3D&action=review.decided&since=2026-05-01T00%3A00%3A00Z',
    );
    expect(auditQuery({ limit: null, cursor: '', action: null })).toBe('');
  });

  it('asks GET /v1/audit and reads a page', async () => {
    const { fetch, urls } = stubFetch(200, { events: [event('e1')], nextCursor: 'c1' });
    const page = await new StewardClient({ apiKey: 'k', fetch }).listAudit({ limit: 20, action: 'connection.saved' });
    expect(urls).toEqual(['/v1/audit?limit=20&action=connection.saved']);
    expect(page.events.map((e) => e.eventId)).toEqual(['e1']);
    expect(page.nextCursor).toBe('c1');
  });

  it('surfaces a non-admin key as a 403', async () => {
    const { fetch } = stubFetch(403, { error: { code: 'forbidden', message: 'role member cannot read the audit trail; use an admin key' } });
    const err = await new StewardClient({ apiKey: 'k', fetch }).listAudit().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('shows detail on one line in name order', () => {
    expect(detailText({ tool: 'send_email', decision: 'reject' })).toBe('decision: reject · tool: send_email');
    expect(detailText({})).toBe('');
    expect(detailText(undefined)).toBe('');
  });

  it('appends a page without repeating an event already listed', () => {
    expect(appendEvents([event('a'), event('b')], [event('b'), event('c')]).map((e) => e.eventId)).toEqual(['a', 'b', 'c']);
  });

  it('says why the table is empty', () => {
    expect(emptyAuditText('', false)).toBe('No changes recorded yet.');
    expect(emptyAuditText('webhook.removed', false)).toBe('No webhook removed recorded.');
    expect(emptyAuditText('webhook.removed', true)).toContain('load more');
  });

  it('has its own route', () => {
    expect(parseRoute('#/audit')).toEqual({ name: 'audit' });
    expect(parseRoute('#/audit/x')).toBeNull();
  });
});
