// Pure helpers for the Audit tab: action names as people read them, an event's detail on one line, and paging.

import type { AuditAction, AuditEvent } from '../../api/audit';

const ACTION_LABEL: Record<AuditAction, string> = {
  'tenant.created': 'Tenant created',
  'tenant.budget_set': 'Daily budget set',
  'api_key.created': 'API key issued',
  'connection.saved': 'Connection saved',
  'connection.removed': 'Connection removed',
  'webhook.saved': 'Webhook saved',
  'webhook.removed': 'Webhook removed',
  'policy.published': 'Policy published',
  'review.decided': 'Review decided',
  'document.removed': 'Document removed',
};

/** Every action, in the order the filter offers them. */
export const AUDIT_ACTIONS = Object.keys(ACTION_LABEL) as AuditAction[];

/** An action as people read it (`connection.saved` → "Connection saved"); an unknown one as sent. */
export function actionLabel(action: string): string {
  return ACTION_LABEL[action as AuditAction] ?? action;
}

/** Events per page the Audit tab asks for. */
export const AUDIT_PAGE_SIZE = 20;

/** An event's detail on one line, `name: value` pairs in name order; '' when it has none. */
export function detailText(detail: Record<string, string> | undefined | null): string {
  if (!detail) return '';
  return Object.keys(detail)
    .sort()
    .map((name) => `${name}: ${detail[name]}`)
    .join(' · ');
}

/** The events listed so far followed by a new page, each event once. */
export function appendEvents(listed: readonly AuditEvent[], page: readonly AuditEvent[]): AuditEvent[] {
  const seen = new Set(listed.map((e) => e.eventId));
  return [...listed, ...page.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId))];
}

/** What the table says when it has no rows: a filtered page may be empty while later pages still match. */
export function emptyAuditText(action: string, more: boolean): string {
  if (more) return 'No change on this page matches; load more to look further back.';
  if (action) return `No ${actionLabel(action).toLowerCase()} recorded.`;
  return 'No changes recorded yet.';
}
