// The Audit tab: who changed what in the tenant (`GET /v1/audit`), newest first, filtered by action, a page at a
// time. Only admins may read the trail; any other key is told so instead of shown an error.

import type { AuditAction, AuditEvent } from '../../api/audit';
import { ApiError, isAbort, type StewardClient } from '../../api/client';
import { errorLine, formatTime, h, replaceChildren, uid } from '../../lib/dom';
import { actionLabel, appendEvents, AUDIT_ACTIONS, AUDIT_PAGE_SIZE, detailText, emptyAuditText } from './auditHelpers';

export interface AuditContext {
  client: StewardClient;
  signal: AbortSignal;
  onUnauthorized: (message: string) => void;
}

export interface AuditView {
  element: HTMLElement;
  /** The tab became visible: loads the newest events. */
  onShow(): void;
  /** The tab was left: a request under way is dropped. */
  onHide(): void;
}

export function renderAudit(ctx: AuditContext): AuditView {
  let action = '';
  let events: AuditEvent[] = [];
  let nextCursor: string | null = null;
  let loaded = false;
  /** Each list request's number: an answer to an older one (the filter changed since) is dropped. */
  let generation = 0;
  let shown = new AbortController();
  ctx.signal.addEventListener('abort', () => shown.abort(), { once: true });

  const actionId = uid('audit-action');
  const actionSelect = h('select', { id: actionId, className: 'compact', testid: 'audit-action-filter' }, h('option', { value: '' }, 'All changes'));
  for (const a of AUDIT_ACTIONS) actionSelect.append(h('option', { value: a }, actionLabel(a)));
  actionSelect.addEventListener('change', () => {
    action = actionSelect.value;
    void load(true);
  });
  const refreshButton = h('button', { type: 'button', className: 'btn btn-ghost', testid: 'audit-refresh' }, 'Refresh');
  refreshButton.addEventListener('click', () => void load(true));
  const listStatus = h('p', { className: 'hint', role: 'status', testid: 'audit-status' });
  const listError = h('p', { className: 'form-error', role: 'alert', testid: 'audit-error', hidden: true });
  const tbody = h('tbody');
  const table = h(
    'table',
    { className: 'doc-table audit-table', testid: 'audit-table', hidden: true },
    h('caption', { className: 'visually-hidden' }, 'Changes to this tenant, newest first'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'When'),
        h('th', { scope: 'col' }, 'Who'),
        h('th', { scope: 'col' }, 'Change'),
        h('th', { scope: 'col' }, 'Target'),
        h('th', { scope: 'col' }, 'Detail'),
      ),
    ),
    tbody,
  );
  const emptyList = h('p', { className: 'muted empty-list', testid: 'audit-empty', hidden: true });
  const moreButton = h('button', { type: 'button', className: 'btn btn-ghost', testid: 'audit-more', hidden: true }, 'Load more');
  moreButton.addEventListener('click', () => void load(false));

  const element = h(
    'section',
    { className: 'card', 'aria-labelledby': 'audit-title' },
    h(
      'div',
      { className: 'section-head runs-head' },
      h('h2', { id: 'audit-title' }, 'Audit'),
      h('label', { for: actionId, className: 'inline-label' }, 'Change', actionSelect),
      refreshButton,
    ),
    listStatus,
    listError,
    table,
    emptyList,
    h('div', { className: 'form-actions' }, moreButton),
  );

  function eventRow(e: AuditEvent): HTMLTableRowElement {
    return h(
      'tr',
      { testid: 'audit-row', 'data-event-id': e.eventId, 'data-action': e.action },
      h('td', { className: 'run-time' }, h('time', { datetime: e.at }, formatTime(e.at))),
      h('td', { testid: 'audit-row-actor' }, e.actor, h('span', { className: 'muted' }, ` (${e.role})`)),
      h('td', { testid: 'audit-row-action' }, actionLabel(e.action)),
      h('td', { testid: 'audit-row-target' }, e.target),
      h('td', { className: 'run-preview', testid: 'audit-row-detail' }, detailText(e.detail)),
    );
  }

  function renderList(): void {
    replaceChildren(tbody, events.map(eventRow));
    table.hidden = events.length === 0;
    emptyList.hidden = !loaded || events.length > 0;
    emptyList.textContent = emptyAuditText(action, nextCursor !== null);
    moreButton.hidden = !loaded || nextCursor === null;
  }

  async function load(first: boolean): Promise<void> {
    const asked = ++generation;
    const cursor = first ? null : nextCursor;
    refreshButton.disabled = true;
    moreButton.disabled = true;
    listStatus.textContent = 'Loading…';
    try {
      const page = await ctx.client.listAudit(
        { limit: AUDIT_PAGE_SIZE, cursor, action: (action || null) as AuditAction | null },
        shown.signal,
      );
      if (asked !== generation) return;
      events = appendEvents(first ? [] : events, page.events ?? []);
      nextCursor = page.nextCursor ?? null;
      loaded = true;
      listError.hidden = true;
      listStatus.textContent = `${events.length} change${events.length === 1 ? '' : 's'} shown${nextCursor ? '; older ones follow' : ''}.`;
      renderList();
    } catch (e) {
      if (isAbort(e) || asked !== generation) return;
      const err = ApiError.from(e);
      if (err.status === 401) {
        ctx.onUnauthorized(err.message);
        return;
      }
      listStatus.textContent = '';
      replaceChildren(
        listError,
        err.status === 403 ? 'Only an admin key may read the audit trail.' : errorLine(`Could not load the audit trail: ${err.message}`, err.code),
      );
      listError.hidden = false;
      table.hidden = true;
      moreButton.hidden = true;
    } finally {
      if (asked === generation) {
        refreshButton.disabled = false;
        moreButton.disabled = false;
      }
    }
  }

  return {
    element,
    onShow() {
      shown.abort();
      shown = new AbortController();
      void load(true);
    },
    onHide() {
      shown.abort();
      generation++;
    },
  };
}
