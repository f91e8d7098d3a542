// The Runs tab: what the tenant's agents did. A table of runs, newest first (`GET /v1/runs`), filtered by status and
// agent, a page at a time; a run opens below it (`GET /v1/runs/{id}`, followed while it is still going) with the same
// answer, citations and steps the chat shows. The open run lives in the URL (#/runs/{id}).

import { ApiError, isAbort, pollRun, type Agent, type Run, type RunStatusFilter, type RunSummary, type StewardClient } from '../../api/client';
import { errorLine, formatTime, h, replaceChildren, uid } from '../../lib/dom';
import { doneLoading, pagedListControls, pagedTable, pageFailed, pageLoaded, showRows, startLoading } from '../../lib/pagedList';
import { reviewHref, runHref, RUNS_HREF } from '../../lib/routes';
import { createSourcePanel } from '../chat/sourcePanel';
import { renderRunResult, runStatusBadge } from './runResult';
import { appendPage, emptyRunsText, RUN_STATUS_FILTERS, runsRequest, statusFilterLabel, type RunFilters } from './runsHelpers';

/** How often an open run that is still going is read again. */
const RUN_POLL_MS = 1000;
const WAITING_POLL_MS = 3000;

export interface RunsContext {
  client: StewardClient;
  /** The tenant's agents as read at sign-in; the filter reads them again (`GET /v1/agents`) whenever the tab opens. */
  agents: Agent[];
  signal: AbortSignal;
  onUnauthorized: (message: string) => void;
}

export interface RunsView {
  element: HTMLElement;
  /** The tab became visible (or its URL changed): loads the newest runs, opens `runId` if given. */
  onShow(runId?: string | null): void;
  /** The tab was left: requests under way are dropped, an open run stops being followed. */
  onHide(): void;
}

export function renderRuns(ctx: RunsContext): RunsView {
  const filters: RunFilters = { status: '', agent: '' };
  let runs: RunSummary[] = [];
  let nextCursor: string | null = null;
  let loaded = false;
  /** Each list request's number: an answer to an older one (the filters changed since) is dropped. */
  let generation = 0;
  let visible = false;
  /** Aborts what the tab started while visible; replaced each time it is shown. */
  let shown = new AbortController();
  ctx.signal.addEventListener('abort', () => shown.abort(), { once: true });
  let selectedId: string | null = null;

  const unauthorized = (e: unknown): boolean => {
    if (e instanceof ApiError && e.status === 401) {
      ctx.onUnauthorized(e.message);
      return true;
    }
    return false;
  };

  // --- filters ---
  const statusId = uid('runs-status');
  const statusSelect = h('select', { id: statusId, className: 'compact', testid: 'runs-status-filter' }, h('option', { value: '' }, statusFilterLabel('')));
  for (const s of RUN_STATUS_FILTERS) statusSelect.append(h('option', { value: s }, statusFilterLabel(s)));
  const agentId = uid('runs-agent');
  const agentSelect = h('select', { id: agentId, className: 'compact', testid: 'runs-agent-filter' });
  const fillAgents = (names: string[]) => {
    const chosen = agentSelect.value || filters.agent;
    // A chosen agent the tenant no longer has stays offered, so the filter on show is still the one applied.
    const offered = chosen && !names.includes(chosen) ? [...names, chosen] : names;
    replaceChildren(agentSelect, h('option', { value: '' }, 'All agents'), offered.map((n) => h('option', { value: n }, n)));
    agentSelect.value = chosen;
  };
  fillAgents(ctx.agents.map((a) => a.name));
  const onFilter = () => {
    filters.status = statusSelect.value as RunStatusFilter | '';
    filters.agent = agentSelect.value;
    void load(true);
  };
  statusSelect.addEventListener('change', onFilter);
  agentSelect.addEventListener('change', onFilter);

  // --- the table ---
  const controls = pagedListControls('runs', () => void load(true), () => void load(false));
  const { refreshButton, listStatus, listError, emptyList, moreButton } = controls;
  const list = pagedTable('runs', 'Runs of your agents, newest first', [
    'Status',
    'Agent',
    'Input',
    'Started',
    h('span', { className: 'visually-hidden' }, 'Actions'),
  ]);

  // --- the open run ---
  const panel = createSourcePanel('run-source-panel');
  const detail = h('section', { className: 'card run-detail', testid: 'run-detail', 'aria-labelledby': 'run-detail-title', hidden: true });
  let following = new AbortController();

  const element = h(
    'div',
    { className: 'runs-layout' },
    h(
      'section',
      { className: 'card', 'aria-labelledby': 'runs-title' },
      h(
        'div',
        { className: 'section-head runs-head' },
        h('h2', { id: 'runs-title' }, 'Runs'),
        h('label', { for: statusId, className: 'inline-label' }, 'Status', statusSelect),
        h('label', { for: agentId, className: 'inline-label' }, 'Agent', agentSelect),
        refreshButton,
      ),
      listStatus,
      listError,
      list.table,
      emptyList,
      h('div', { className: 'form-actions' }, moreButton),
    ),
    h('div', { className: 'chat-layout' }, detail, panel.element),
  );

  function runRow(r: RunSummary): HTMLTableRowElement {
    const waiting = r.status === 'WAITING_FOR_REVIEW' && r.reviewId;
    return h(
      'tr',
      { testid: 'run-row', 'data-run-id': r.runId, 'data-status': r.status, 'aria-current': r.runId === selectedId ? 'true' : null },
      h('td', null, runStatusBadge(r.status, 'run-row-status')),
      h('td', { className: 'run-agent' }, r.agent),
      h('td', { className: 'run-preview', testid: 'run-row-input' }, r.inputPreview),
      h('td', { className: 'run-time' }, r.createdAt ? h('time', { datetime: r.createdAt }, formatTime(r.createdAt)) : '—'),
      h(
        'td',
        { className: 'doc-actions' },
        waiting ? h('a', { className: 'btn btn-ghost btn-small', href: reviewHref(r.reviewId!), testid: 'run-row-review' }, 'Review') : null,
        h('a', { className: 'btn btn-ghost btn-small', href: runHref(r.runId), testid: 'run-open', 'aria-label': `Open run ${r.runId}` }, 'Open'),
      ),
    );
  }

  function renderList(): void {
    showRows(controls, list, runs.map(runRow), { loaded, nextCursor, emptyText: emptyRunsText(filters, nextCursor !== null) });
  }

  async function load(first: boolean): Promise<void> {
    const asked = ++generation;
    const cursor = first ? null : nextCursor;
    const signal = shown.signal;
    startLoading(controls);
    try {
      const page = await ctx.client.listRuns(runsRequest(filters, cursor), signal);
      if (asked !== generation) return;
      runs = first ? appendPage([], page.runs ?? []) : appendPage(runs, page.runs ?? []);
      nextCursor = page.nextCursor ?? null;
      loaded = true;
      pageLoaded(controls, runs.length, 'run', nextCursor !== null);
      renderList();
    } catch (e) {
      if (isAbort(e) || asked !== generation || unauthorized(e)) return;
      const err = ApiError.from(e);
      pageFailed(controls, errorLine(`Could not load runs: ${err.message}`, err.code));
    } finally {
      if (asked === generation) doneLoading(controls);
    }
  }

  async function loadAgents(): Promise<void> {
    try {
      fillAgents((await ctx.client.listAgents(shown.signal)).agents.map((a) => a.name));
    } catch (e) {
      unauthorized(e); // otherwise keep the agents read at sign-in
    }
  }

  // --- the detail panel ---
  function closeDetail(): void {
    following.abort();
    selectedId = null;
    detail.hidden = true;
    panel.close();
    replaceChildren(detail);
    renderList();
    if (location.hash !== RUNS_HREF) history.replaceState(null, '', RUNS_HREF);
  }

  function detailHead(title: string): HTMLElement {
    const close = h('button', { type: 'button', className: 'btn btn-ghost icon-btn', 'aria-label': 'Close run', testid: 'run-detail-close' }, '×');
    close.addEventListener('click', closeDetail);
    return h('div', { className: 'review-detail-head' }, h('h2', { id: 'run-detail-title', tabindex: '-1' }, title), close);
  }

  function showRun(run: Run): void {
    const meta: [string, Node | string][] = [
      ['Run', h('code', { testid: 'run-detail-id' }, run.runId)],
      ['Agent', run.agent],
      ['Started', run.createdAt ? formatTime(run.createdAt) : '—'],
      ['Updated', run.updatedAt ? formatTime(run.updatedAt) : '—'],
    ];
    const result = renderRunResult(run, panel);
    const waiting = run.status === 'WAITING_FOR_REVIEW';
    replaceChildren(
      detail,
      detailHead('Run'),
      h('div', { className: 'response-head' }, runStatusBadge(run.status, 'run-detail-status'), result.model),
      h('dl', { className: 'source-meta run-meta' }, meta.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
      waiting
        ? h(
            'div',
            { className: 'review-wait' },
            h('p', null, h('strong', null, 'Waiting for approval. '), 'A tool call of this run needs a human decision.'),
            h(
              'a',
              { className: 'btn btn-ghost', href: run.reviewId ? reviewHref(run.reviewId) : '#/reviews', testid: 'run-detail-review' },
              run.reviewId ? 'Open the review' : 'Open the review queue',
            ),
          )
        : null,
      h('h3', { className: 'eyebrow' }, 'Input'),
      h('p', { className: 'run-input', testid: 'run-detail-input' }, run.input),
      result.body.length ? h('h3', { className: 'eyebrow' }, 'Result') : null,
      h('div', { className: 'response-body' }, result.body),
    );
  }

  function showMessage(title: string, message: (Node | string)[], alert: boolean): void {
    replaceChildren(detail, detailHead(title), h('p', alert ? { className: 'form-error', role: 'alert', testid: 'run-detail-error' } : { className: 'muted' }, message));
  }

  async function select(runId: string): Promise<void> {
    following.abort();
    following = new AbortController();
    const signal = following.signal;
    shown.signal.addEventListener('abort', () => following.abort(), { once: true, signal });
    const opened = selectedId !== runId;
    selectedId = runId;
    renderList();
    panel.close();
    detail.hidden = false;
    if (opened) showMessage('Run', ['Loading the run…'], false);
    let focus = opened;
    const onUpdate = (run: Run) => {
      showRun(run);
      if (focus) detail.querySelector<HTMLElement>('#run-detail-title')?.focus();
      focus = false;
    };
    try {
      await pollRun(ctx.client, runId, { intervalMs: RUN_POLL_MS, waitingIntervalMs: WAITING_POLL_MS, signal, onUpdate });
    } catch (e) {
      if (isAbort(e) || selectedId !== runId || unauthorized(e)) return;
      const err = ApiError.from(e);
      showMessage('Run', err.status === 404 ? [`There is no run ${runId} in your tenant.`] : errorLine(`Could not load the run: ${err.message}`, err.code), true);
    }
  }

  return {
    element,
    onShow(runId) {
      if (!visible) {
        visible = true;
        shown = new AbortController();
        if (ctx.signal.aborted) shown.abort();
        void loadAgents();
        void load(true);
        const reopen = runId ?? selectedId;
        if (reopen) void select(reopen);
        return;
      }
      if (runId) void select(runId);
    },
    onHide() {
      if (!visible) return;
      visible = false;
      shown.abort();
    },
  };
}
