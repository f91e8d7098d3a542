// Pure helpers for the review queue: one-line payload summaries, ages, status labels, edit validation, list merging.

import { ApiError, type Review, type ReviewStatus, type ReviewStatusFilter } from '../../api/client';
import { exactEntries, formatJson } from '../../lib/json';

/** Keys that say most about a tool call, shown first in a summary (an email's recipients and subject, say). */
const SUMMARY_FIRST = ['to', 'recipient', 'recipients', 'subject', 'title', 'name', 'query', 'url', 'path', 'amount'];

export function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, Math.max(0, max - 1)).trimEnd()}…` : t;
}

/** A value for the summary line; `raw` is a number's exact source spelling, when known. */
function valueText(value: unknown, raw?: string): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return clip(value, 60);
  if (typeof value === 'number') return raw ?? String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) return clip(exactEntries(value).map((e) => valueText(e.value, e.raw)).join(', '), 60);
    return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  }
  if (typeof value === 'object') {
    const n = Object.keys(value).length;
    return `{${n} key${n === 1 ? '' : 's'}}`;
  }
  return String(value);
}

/**
 * A one-line summary of a tool call's payload for the queue, e.g.
 * `to: ana@example.com · subject: Your refund · body: Hello Ana, …`: arguments in source order, the telling ones
 * first, numbers as sent. The detail panel shows the exact payload.
 */
export function summarizePayload(payload: unknown, max = 120): string {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return clip(valueText(payload), max);
  const entries = exactEntries(payload);
  if (entries.length === 0) return '(no arguments)';
  const rank = (key: string) => {
    const i = SUMMARY_FIRST.indexOf(key.toLowerCase());
    return i === -1 ? SUMMARY_FIRST.length : i;
  };
  const ordered = entries.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e.key) - rank(b.e.key) || a.i - b.i);
  return clip(ordered.map(({ e }) => `${e.key}: ${valueText(e.value, e.raw)}`).join(' · '), max);
}

function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** A short duration: `42 s`, `5 min`, `3 h`, `2 d`. */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** How long ago `iso` was: `just now`, `5 min ago`, …; '' when unknown. Clock skew into the future reads `just now`. */
export function formatAge(iso: string | null | undefined, now: number): string {
  const t = parseTime(iso);
  if (t === null) return '';
  const ms = now - t;
  if (ms < 10_000) return 'just now';
  return `${formatDuration(ms)} ago`;
}

/** `expires in 3 h` or `expired 5 min ago`; '' when unknown. */
export function formatExpiry(iso: string | null | undefined, now: number): string {
  const t = parseTime(iso);
  if (t === null) return '';
  const ms = t - now;
  return ms > 0 ? `expires in ${formatDuration(ms)}` : `expired ${formatDuration(ms)} ago`;
}

/** True when a review has an expiry in the past (the server may not have marked it expired yet). */
export function isPastExpiry(review: Pick<Review, 'expiresAt'>, now: number): boolean {
  const t = parseTime(review.expiresAt);
  return t !== null && t <= now;
}

const STATUS_LABELS: Record<ReviewStatus, string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
  edited: 'Approved with edits',
  expired: 'Expired',
};

export function reviewStatusLabel(status: string): string {
  return STATUS_LABELS[status as ReviewStatus] ?? status;
}

export function filterLabel(filter: ReviewStatusFilter): string {
  return filter === 'all' ? 'All' : filter === 'edited' ? 'Edited' : reviewStatusLabel(filter);
}

/** What a decision reads as in the detail panel. */
export function decisionLabel(decision: string): string {
  switch (decision) {
    case 'approve':
      return 'Approved';
    case 'reject':
      return 'Rejected';
    case 'edit':
      return 'Approved with edits';
    default:
      return decision;
  }
}

export type EditCheck = { ok: true; json: string } | { ok: false; message: string };

/** Turns a JSON.parse error message into one with line and column (V8's older messages give only a position). */
function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/line \d+/i.test(message)) return message;
  const m = /position (\d+)/.exec(message);
  if (!m) return message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}

/**
 * Validates the edit textarea before anything is sent: it must be a JSON object and differ from the proposed payload
 * (`originalJson`, its exact source). Returns the text to send, or a message for the inline error.
 */
export function checkEditedPayload(text: string, originalJson?: string): EditCheck {
  if (!text.trim()) return { ok: false, message: 'The payload is empty. Enter a JSON object, like the proposed one.' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `This is not valid JSON: ${describeJsonError(text, e)}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: 'The payload must be a JSON object ({ … }), like the proposed one.' };
  }
  if (originalJson !== undefined) {
    let same = false;
    try {
      same = formatJson(originalJson, 0) === formatJson(text, 0);
    } catch {
      /* the original is not comparable: treat as changed */
    }
    if (same) return { ok: false, message: 'The payload is unchanged. Use Approve to run it as proposed.' };
  }
  return { ok: true, json: text };
}

/**
 * The queue's rows: the listed reviews, overlaid with the ones decided in this tab (the list may still show them as
 * pending for a moment, and a pending-only list drops them, yet the reviewer should see the row's new status).
 * Newest first, as the API sorts.
 */
export function mergeReviews(listed: readonly Review[], decidedHere: ReadonlyMap<string, Review>, filter: ReviewStatusFilter): Review[] {
  const byId = new Map(listed.map((r) => [r.reviewId, r]));
  const rows = listed.map((r) => {
    const mine = decidedHere.get(r.reviewId);
    return mine && r.status === 'pending' ? mine : r;
  });
  const extra = [...decidedHere.values()].filter(
    (r) => !byId.has(r.reviewId) && (filter === 'pending' || filter === 'all' || filter === r.status),
  );
  if (extra.length === 0) return rows;
  const time = (r: Review) => parseTime(r.createdAt) ?? 0;
  return [...rows, ...extra].sort((a, b) => time(b) - time(a));
}

/** The message shown for a failed decision. */
export function decisionErrorMessage(error: ApiError): string {
  if (error.status === 409 || error.code === 'already_decided') return 'Someone else decided this review first. Its current state is shown below.';
  if (error.status === 403 || error.code === 'forbidden') return 'Your role cannot decide reviews. Ask an admin or a reviewer of this tenant.';
  if (error.status === 404) return 'This review no longer exists in your tenant.';
  if (error.status === 400) return `The server refused the decision: ${error.message}`;
  return `The decision was not saved: ${error.message}`;
}
