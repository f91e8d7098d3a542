import { describe, expect, it } from 'vitest';
import { ApiError, type Review } from '../../api/client';
import { parseJsonWithSources } from '../../lib/json';
import {
  checkEditedPayload,
  clip,
  decisionErrorMessage,
  decisionLabel,
  formatAge,
  formatDuration,
  formatExpiry,
  isPastExpiry,
  mergeReviews,
  reviewStatusLabel,
  summarizePayload,
} from './reviewHelpers';

const review = (reviewId: string, status: Review['status'], createdAt: string): Review => ({
  reviewId,
  runId: `run_${reviewId}`,
  agent: 'support-agent',
  status,
  tool: 'send_email',
  payload: { to: ['a@example.com'], subject: 's', body: 'b' },
  createdAt,
});

describe('summarizePayload', () => {
  it('puts an email’s recipients and subject first', () => {
    expect(summarizePayload({ body: 'Hello Ana,\n\nyour refund\tis on its way.', subject: 'Your refund', to: ['ana@example.com', 'ops@example.com'] })).toBe(
      'to: ana@example.com, ops@example.com · subject: Your refund · body: Hello Ana, your refund is on its way.',
    );
  });

  it('summarises any other tool call by its arguments, in order, nested values abbreviated', () => {
    expect(summarizePayload({ ticket: 42, close: true, note: null, labels: [], meta: { a: 1, b: 2 }, items: [{ x: 1 }] })).toBe(
      'ticket: 42 · close: true · note: null · labels: [] · meta: {2 keys} · items: [1 item]',
    );
    expect(summarizePayload({})).toBe('(no arguments)');
    expect(summarizePayload('just text')).toBe('just text');
    expect(summarizePayload([1, 2])).toBe('1, 2');
  });

  it('shows numbers as sent and keeps source order when the payload came from the API', () => {
    const payload = parseJsonWithSources('{"account":12345678901234567890,"amount":25.50,"10":"x","ids":[1.0,2]}');
    expect(summarizePayload(payload)).toBe('amount: 25.50 · account: 12345678901234567890 · 10: x · ids: 1.0, 2');
  });

  it('clips long values and the whole line', () => {
    const line = summarizePayload({ subject: 'x'.repeat(100), body: 'y'.repeat(500) }, 80);
    expect(line.length).toBeLessThanOrEqual(80);
    expect(line.endsWith('…')).toBe(true);
    expect(line.startsWith(`subject: ${'x'.repeat(59)}…`)).toBe(true);
    expect(clip('  a \n b  ', 10)).toBe('a b');
  });
});

describe('times', () => {
  const now = Date.parse('2025-01-02T12:00:00Z');

  it('formats durations', () => {
    expect([0, 59_000, 60_000, 3_599_000, 3_600_000, 47 * 3_600_000, 48 * 3_600_000].map(formatDuration)).toEqual(['0 s', '59 s', '1 min', '59 min', '1 h', '47 h', '2 d']);
  });

  it('formats ages', () => {
    expect(formatAge('2025-01-02T11:59:55Z', now)).toBe('just now');
    expect(formatAge('2025-01-02T12:00:30Z', now)).toBe('just now'); // clock skew
    expect(formatAge('2025-01-02T11:59:00Z', now)).toBe('1 min ago');
    expect(formatAge('2025-01-02T09:00:00Z', now)).toBe('3 h ago');
    expect(formatAge(undefined, now)).toBe('');
    expect(formatAge('not a date', now)).toBe('');
  });

  it('formats expiry both ways', () => {
    expect(formatExpiry('2025-01-03T12:00:00Z', now)).toBe('expires in 24 h');
    expect(formatExpiry('2025-01-02T11:55:00Z', now)).toBe('expired 5 min ago');
    expect(formatExpiry(null, now)).toBe('');
    expect(isPastExpiry({ expiresAt: '2025-01-02T11:55:00Z' }, now)).toBe(true);
    expect(isPastExpiry({ expiresAt: '2025-01-03T12:00:00Z' }, now)).toBe(false);
    expect(isPastExpiry({}, now)).toBe(false);
  });
});

describe('checkEditedPayload', () => {
  const original = '{"to":["a@example.com"],"subject":"Hi","body":"Hello"}';

  it('accepts a changed JSON object and returns the text to send as typed', () => {
    const text = '{\n  "to": ["a@example.com"],\n  "subject": "Hi there",\n  "body": "Hello"\n}';
    expect(checkEditedPayload(text, original)).toEqual({ ok: true, json: text });
  });

  it('refuses text that is not JSON, saying where', () => {
    const result = checkEditedPayload('{\n  "to": ["a@example.com"],\n  "subject": "Hi",\n}', original);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(/^This is not valid JSON: /);
      expect(result.message).toMatch(/line 4/);
    }
  });

  it.each([
    ['', /empty/],
    ['   \n', /empty/],
    ['[1, 2]', /must be a JSON object/],
    ['"text"', /must be a JSON object/],
    ['null', /must be a JSON object/],
    ['{"to": ["a@example.com"], "subject": "Hi", "body": "Hello"}', /unchanged/],
  ])('refuses %j', (text, message) => {
    const result = checkEditedPayload(text, original);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('does not compare when there is no original', () => {
    expect(checkEditedPayload('{"a":1}')).toEqual({ ok: true, json: '{"a":1}' });
  });
});

describe('mergeReviews', () => {
  const a = review('a', 'pending', '2025-01-02T10:00:00Z');
  const b = review('b', 'pending', '2025-01-02T11:00:00Z');
  const c = review('c', 'pending', '2025-01-02T09:00:00Z');

  it('keeps a review decided here in a pending list, with its new status, in date order', () => {
    const decided = new Map([['a', { ...a, status: 'approved' as const }]]);
    expect(mergeReviews([b, c], decided, 'pending').map((r) => `${r.reviewId}:${r.status}`)).toEqual(['b:pending', 'a:approved', 'c:pending']);
    expect(mergeReviews([b, a, c], decided, 'pending').map((r) => `${r.reviewId}:${r.status}`)).toEqual(['b:pending', 'a:approved', 'c:pending']);
  });

  it('lets a list that already shows a decision win, and only adds matching extras to other filters', () => {
    const decided = new Map([['a', { ...a, status: 'approved' as const }]]);
    const rejectedElsewhere = { ...a, status: 'rejected' as const };
    expect(mergeReviews([rejectedElsewhere], decided, 'all').map((r) => r.status)).toEqual(['rejected']);
    expect(mergeReviews([], decided, 'rejected')).toEqual([]);
    expect(mergeReviews([], decided, 'approved').map((r) => r.reviewId)).toEqual(['a']);
    expect(mergeReviews([b], new Map(), 'pending')).toEqual([b]);
  });
});

describe('labels and errors', () => {
  it('labels statuses and decisions', () => {
    expect(['pending', 'approved', 'rejected', 'edited', 'expired', 'new'].map(reviewStatusLabel)).toEqual([
      'Pending',
      'Approved',
      'Rejected',
      'Approved with edits',
      'Expired',
      'new',
    ]);
    expect(['approve', 'reject', 'edit'].map(decisionLabel)).toEqual(['Approved', 'Rejected', 'Approved with edits']);
  });

  it('explains decision failures', () => {
    expect(decisionErrorMessage(new ApiError(409, 'already_decided', 'x'))).toMatch(/Someone else decided this review first/);
    expect(decisionErrorMessage(new ApiError(403, 'forbidden', 'x'))).toMatch(/Your role cannot decide reviews/);
    expect(decisionErrorMessage(new ApiError(400, 'invalid_request', 'payload.to must be an array'))).toBe('The server refused the decision: payload.to must be an array');
    expect(decisionErrorMessage(new ApiError(404, 'not_found', 'x'))).toMatch(/no longer exists/);
    expect(decisionErrorMessage(new ApiError(0, 'network_error', 'Could not reach the Steward API.'))).toBe('The decision was not saved: Could not reach the Steward API.');
  });
});
