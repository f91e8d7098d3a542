import { describe, expect, it } from 'vitest';
import { runsQuery, type RunSummary } from '../../api/client';
import { appendPage, emptyRunsText, RUN_STATUS_FILTERS, runsRequest, runStatusLabel, statusFilterLabel } from './runsHelpers';

const run = (runId: string): RunSummary => ({ runId, agent: 'a', status: 'SUCCEEDED', inputPreview: runId });

describe('runsHelpers', () => {
  it('labels run statuses, and an unknown one as sent', () => {
    expect(runStatusLabel('WAITING_FOR_REVIEW')).toBe('Waiting for approval');
    expect(runStatusLabel('SUCCEEDED')).toBe('Succeeded');
    expect(runStatusLabel('PAUSED')).toBe('PAUSED');
  });

  it('offers every status the API filters by, each with its label', () => {
    expect(RUN_STATUS_FILTERS.map(statusFilterLabel)).toEqual(['Queued', 'Running', 'Waiting for approval', 'Succeeded', 'Halted', 'Failed']);
    expect(statusFilterLabel('')).toBe('All statuses');
  });

  it('turns the filters into a query, leaving out what is any', () => {
    expect(runsQuery(runsRequest({ status: '', agent: '' }))).toBe('?limit=20');
    expect(runsQuery(runsRequest({ status: 'failed', agent: 'support-agent' }, 'c2'))).toBe('?limit=20&cursor=c2&status=failed&agent=support-agent');
    expect(runsRequest({ status: 'halted', agent: '' }, '')).toEqual({ limit: 20, cursor: null, status: 'halted', agent: null });
  });

  it('appends a page keeping each run once', () => {
    expect(appendPage([run('r1'), run('r2')], [run('r2'), run('r3'), run('r3')]).map((r) => r.runId)).toEqual(['r1', 'r2', 'r3']);
    expect(appendPage([], [])).toEqual([]);
  });

  it('says why the table is empty', () => {
    expect(emptyRunsText({ status: 'failed', agent: '' }, true)).toMatch(/load more/);
    expect(emptyRunsText({ status: 'failed', agent: '' }, false)).toBe('No run matches these filters.');
    expect(emptyRunsText({ status: '', agent: '' }, false)).toMatch(/No runs yet/);
  });
});
