// Pure helpers for runs: status labels (the chat's badges and the Runs tab's), the Runs tab's filters as a
// `GET /v1/runs` request, and paging.

import type { ListRunsRequest, RunStatus, RunStatusFilter, RunSummary } from '../../api/client';

const STATUS_LABEL: Record<RunStatus, string> = {
  QUEUED: 'Queued',
  RUNNING: 'Running',
  WAITING_FOR_REVIEW: 'Waiting for approval',
  SUCCEEDED: 'Succeeded',
  HALTED: 'Halted',
  FAILED: 'Failed',
};

/** A run status as people read it (`WAITING_FOR_REVIEW` → "Waiting for approval"); an unknown one as sent. */
export function runStatusLabel(status: string): string {
  return STATUS_LABEL[status as RunStatus] ?? status;
}

/** The statuses the Runs tab filters by, in the order a run goes through them. */
export const RUN_STATUS_FILTERS: readonly RunStatusFilter[] = ['queued', 'running', 'waiting_for_review', 'succeeded', 'halted', 'failed'];

/** The label of a status filter ('' is every status). */
export function statusFilterLabel(filter: RunStatusFilter | ''): string {
  return filter ? runStatusLabel(filter.toUpperCase()) : 'All statuses';
}

/** The Runs tab's filters: '' means any. */
export interface RunFilters {
  status: RunStatusFilter | '';
  agent: string;
}

/** Runs per page the Runs tab asks for. */
export const RUNS_PAGE_SIZE = 20;

/** The request for the page after `cursor` (the first page without one) under `filters`. */
export function runsRequest(filters: RunFilters, cursor: string | null = null): ListRunsRequest {
  return {
    limit: RUNS_PAGE_SIZE,
    cursor: cursor || null,
    status: filters.status || null,
    agent: filters.agent || null,
  };
}

/** The runs listed so far followed by a new page, each run once (the first listing of it wins). */
export function appendPage(listed: readonly RunSummary[], page: readonly RunSummary[]): RunSummary[] {
  const seen = new Set(listed.map((r) => r.runId));
  return [...listed, ...page.filter((r) => !seen.has(r.runId) && seen.add(r.runId))];
}

/** What the table says when it has no rows: a filtered page may be empty while later pages still match. */
export function emptyRunsText(filters: RunFilters, more: boolean): string {
  if (more) return 'No run on this page matches; load more to look further back.';
  if (filters.status || filters.agent) return 'No run matches these filters.';
  return 'No runs yet. Ask a question in the Chat tab to start one.';
}
