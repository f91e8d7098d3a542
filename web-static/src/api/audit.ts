// Types and query of `GET /v1/audit` (docs/API.md, "Audit trail").

/** The actions an audit event records (docs/API.md, "Audit trail"). */
export type AuditAction =
  | 'tenant.created'
  | 'tenant.budget_set'
  | 'api_key.created'
  | 'connection.saved'
  | 'connection.removed'
  | 'webhook.saved'
  | 'webhook.removed'
  | 'policy.published'
  | 'review.decided'
  | 'document.removed';

/** One event as `GET /v1/audit` lists it: who (`actor`, `role`) did what (`action`) to which thing (`target`). */
export interface AuditEvent {
  eventId: string;
  at: string;
  actor: string;
  role: string;
  action: AuditAction | string;
  target: string;
  /** A few words of non-secret detail, e.g. a webhook's agent. */
  detail?: Record<string, string>;
  requestId?: string | null;
}

export interface AuditPage {
  events: AuditEvent[];
  /** The cursor of the next page; null after the last one. */
  nextCursor?: string | null;
}

/** What `GET /v1/audit` is asked for; a parameter left out (or empty) is not sent. */
export interface AuditRequest {
  /** 1 to 100; the API's default is 20. */
  limit?: number | null;
  cursor?: string | null;
  action?: AuditAction | null;
  /** UTC times (ISO 8601): from `since` (inclusive) to `until` (exclusive). */
  since?: string | null;
  until?: string | null;
}

/** The query string of `GET /v1/audit` for `request` (with its `?`, or '' when nothing is asked). */
export function auditQuery(request: AuditRequest): string {
  const params = new URLSearchParams();
  if (request.limit !== undefined && request.limit !== null) params.set('limit', String(request.limit));
  for (const name of ['cursor', 'action', 'since', 'until'] as const) {
    const value = request[name];
    if (value) params.set(name, value);
  }
  const query = params.toString().replace(/\+/g, '%20');
  return query ? `?${query}` : '';
}
