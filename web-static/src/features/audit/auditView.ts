// The Audit tab: who changed what in the tenant (`GET /v1/audit`), newest first, filtered by action, a page at a
// time (with a filter, pages that hold none of its events are read past). Only admins may read the trail; any other
// key is told so instead of shown an error.

import type { AuditAction, AuditEvent } from '../../api/audit';
import { ApiError, isAbort, type StewardClient } from '../../api/client';
import { errorLine, formatTime, h, uid } from '../../lib/dom';
import { doneLoading, pagedListControls, pagedTable, pageFailed, pageLoaded, showRows, startLoading } from '../../lib/pagedList';
import { actionLabel, appendEvents, AUDIT_ACTIONS, AUDIT_PAGE_SIZE, detailText, emptyAuditText } from './auditHelpers';

/** Pages one load reads at most while an action filter finds nothing in them. */
const FILTERED_PAGES_PER_LOAD = 10;

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
  const controls = pagedListControls('audit', () => void load(true), () => void load(false));
  const { refreshButton, listStatus, listError, emptyList, moreButton } = controls;
  const list = pagedTable('audit', 'Changes to this tenant, newest first', ['When', 'Who', 'Change', 'Target', 'Detail']);

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
    list.table,
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
    showRows(controls, list, events.map(eventRow), { loaded, nextCursor, emptyText: emptyAuditText(action, nextCursor !== null) });
  }

  async function load(first: boolean): Promise<void> {
    const asked = ++generation;
    const cursor = first ? null : nextCursor;
    startLoading(controls);
    try {
      const found: AuditEvent[] = [];
      let next = cursor;
      // The action filter applies to the events a page reads, so a page may hold none of them: read on, a few pages
      // at most, until one does or the trail ends (the next "Load more" goes on from there).
      for (let read = 0; read < FILTERED_PAGES_PER_LOAD && (read === 0 || (found.length === 0 && next)); read++) {
        const page = await ctx.client.listAudit(
          { limit: AUDIT_PAGE_SIZE, cursor: next, action: (action || null) as AuditAction | null },
          shown.signal,
        );
        if (asked !== generation) return;
        found.push(...(page.events ?? []));
        next = page.nextCursor ?? null;
      }
      events = appendEvents(first ? [] : events, found);
      nextCursor = next;
      loaded = true;
      pageLoaded(controls, events.length, 'change', nextCursor !== null);
      renderList();
    } catch (e) {
      if (isAbort(e) || asked !== generation) return;
      const err = ApiError.from(e);
      if (err.status === 401) {
        ctx.onUnauthorized(err.message);
        return;
      }
      pageFailed(
        controls,
        err.status === 403 ? 'Only an admin key may read the audit trail.' : errorLine(`Could not load the audit trail: ${err.message}`, err.code),
      );
      list.table.hidden = true;
      moreButton.hidden = true;
    } finally {
      if (asked === generation) doneLoading(controls);
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
