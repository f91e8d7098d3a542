import { describe, expect, it } from 'vitest';
import type { UsageDay } from '../../api/client';
import {
  barPercent,
  budgetSummary,
  chartCeiling,
  fillDays,
  formatCompact,
  formatCount,
  formatDay,
  shiftDay,
  stageSummary,
  usageTotals,
  utcDay,
  verdictCount,
  verdictsByKind,
  verdictSummary,
} from './usageHelpers';

const row = (day: string, tokensIn = 0, tokensOut = 0, modelCalls = 0, guardrailVerdicts: Record<string, number> = {}): UsageDay => ({
  day,
  tokensIn,
  tokensOut,
  modelCalls,
  guardrailVerdicts,
});

describe('days', () => {
  it('shifts UTC days across months, leap days and years', () => {
    expect(shiftDay('2024-03-01', -1)).toBe('2024-02-29');
    expect(shiftDay('2025-03-01', -1)).toBe('2025-02-28');
    expect(shiftDay('2025-01-01', -1)).toBe('2024-12-31');
    expect(shiftDay('2024-12-31', 1)).toBe('2025-01-01');
    expect(utcDay(new Date('2025-03-03T23:59:59-05:00'))).toBe('2025-03-04');
  });

  it('fills a whole period newest first, with zeros for the days the server left out', () => {
    const filled = fillDays([row('2025-03-03', 100, 20, 2), row('2025-03-01', 50, 5, 1)], 4, '2099-01-01');
    expect(filled).toEqual([row('2025-03-03', 100, 20, 2), row('2025-03-02'), row('2025-03-01', 50, 5, 1), row('2025-02-28')]);
  });

  it('ends the period on the newest day the server sent, whatever order it came in, not on the browser clock', () => {
    const filled = fillDays([row('2025-03-01', 1), row('2025-03-03', 3), row('2025-03-02', 2)], 3, '2030-06-15');
    expect(filled.map((d) => `${d.day}:${d.tokensIn}`)).toEqual(['2025-03-03:3', '2025-03-02:2', '2025-03-01:1']);
  });

  it('falls back to today for an empty answer', () => {
    expect(fillDays([], 2, '2025-03-03').map((d) => d.day)).toEqual(['2025-03-03', '2025-03-02']);
    expect(fillDays(undefined, 1, '2025-03-03')).toEqual([row('2025-03-03')]);
  });

  it('reads missing or malformed counters as zero and drops rows outside the period or without a valid day', () => {
    const rows = [
      { day: '2025-03-03', tokensIn: 7 } as Partial<UsageDay>,
      { day: '2025-03-02', tokensIn: Number.NaN, tokensOut: '5' as unknown as number, guardrailVerdicts: { 'ANSWER.DENY': 1, 'X.Y': 0 } },
      { day: 'yesterday', tokensIn: 1000 },
      { tokensIn: 1000 },
      row('2025-02-01', 1000),
    ];
    expect(fillDays(rows, 2, '2025-03-03')).toEqual([row('2025-03-03', 7), row('2025-03-02', 0, 0, 0, { 'ANSWER.DENY': 1 })]);
  });

  it('adds up two rows for one day', () => {
    const filled = fillDays([row('2025-03-03', 1, 2, 3, { 'ANSWER.DENY': 1 }), row('2025-03-03', 10, 20, 30, { 'ANSWER.DENY': 2, 'USER_INPUT.REDACT': 1 })], 1, '2025-03-03');
    expect(filled).toEqual([row('2025-03-03', 11, 22, 33, { 'ANSWER.DENY': 3, 'USER_INPUT.REDACT': 1 })]);
  });
});

describe('totals', () => {
  it('sums tokens, model calls and every verdict counter over the days', () => {
    const totals = usageTotals([
      row('2025-03-03', 1200, 300, 4, { 'RETRIEVED_CHUNK.REDACT': 2, 'ANSWER.DENY': 1 }),
      row('2025-03-02'),
      row('2025-03-01', 800, 100, 3, { 'RETRIEVED_CHUNK.REDACT': 1, 'TOOL_ARGUMENTS.ASK': 1 }),
    ]);
    expect(totals).toEqual({
      tokensIn: 2000,
      tokensOut: 400,
      modelCalls: 7,
      verdicts: { 'RETRIEVED_CHUNK.REDACT': 3, 'ANSWER.DENY': 1, 'TOOL_ARGUMENTS.ASK': 1 },
    });
    expect(usageTotals([])).toEqual({ tokensIn: 0, tokensOut: 0, modelCalls: 0, verdicts: {} });
  });
});

describe('verdicts by kind', () => {
  const verdicts = { 'RETRIEVED_CHUNK.REDACT': 3, 'USER_INPUT.REDACT': 5, 'ANSWER.DENY': 1, 'TOOL_ARGUMENTS.ASK': 2, 'ANSWER.QUARANTINE': 1, 'X.REDACT': 0 };

  it('groups by verdict, most severe first, checkpoints most frequent first, zeros left out', () => {
    expect(verdictsByKind(verdicts)).toEqual([
      { verdict: 'DENY', count: 1, stages: [{ stage: 'ANSWER', count: 1 }] },
      { verdict: 'ASK', count: 2, stages: [{ stage: 'TOOL_ARGUMENTS', count: 2 }] },
      { verdict: 'REDACT', count: 8, stages: [{ stage: 'USER_INPUT', count: 5 }, { stage: 'RETRIEVED_CHUNK', count: 3 }] },
      { verdict: 'QUARANTINE', count: 1, stages: [{ stage: 'ANSWER', count: 1 }] },
    ]);
    expect(verdictCount(verdicts)).toBe(12);
    expect(verdictsByKind({})).toEqual([]);
  });

  it('keeps a key without a checkpoint', () => {
    expect(verdictsByKind({ DENY: 2 })).toEqual([{ verdict: 'DENY', count: 2, stages: [{ stage: '', count: 2 }] }]);
  });

  it('summarises a day and a kind in words', () => {
    expect(verdictSummary(verdicts, 'en-US')).toBe('DENY 1, ASK 2, REDACT 8, QUARANTINE 1');
    expect(verdictSummary({}, 'en-US')).toBe('');
    expect(stageSummary(verdictsByKind(verdicts)[2]!, 'en-US')).toBe('input 5, sources 3');
    expect(stageSummary(verdictsByKind({ DENY: 1 })[0]!, 'en-US')).toBe('unknown checkpoint 1');
  });
});

describe('formatting', () => {
  it('formats counts, compact counts and days', () => {
    expect(formatCount(1234567, 'en-US')).toBe('1,234,567');
    expect(formatCount(0, 'en-US')).toBe('0');
    expect(formatCompact(1234, 'en-US')).toBe('1.2K');
    expect(formatCompact(50_000_000, 'en-US')).toBe('50M');
    expect(formatCompact(0, 'en-US')).toBe('0');
    expect(formatDay('2025-03-03', 'en-US')).toBe('Mon, Mar 3');
    expect(formatDay('not a day', 'en-US')).toBe('not a day');
  });
});

describe('chart scale', () => {
  it('rounds the top of the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 2, 7, 10, 11, 150, 999, 1000, 1001, 2500, 120_000].map(chartCeiling)).toEqual([1, 1, 2, 10, 10, 20, 200, 1000, 1000, 2000, 5000, 200_000]);
  });

  it('turns a value into a bar height within 0-100 %', () => {
    expect(barPercent(50, 200)).toBe(25);
    expect(barPercent(0, 200)).toBe(0);
    expect(barPercent(300, 200)).toBe(100);
    expect(barPercent(5, 0)).toBe(0);
  });
});

describe('daily budget', () => {
  it('says how much of the budget today used, and when it is used up', () => {
    expect(budgetSummary(12_345, 2_000_000, 'en-US')).toBe('12,345 of 2,000,000 tokens used today (0.6%)');
    expect(budgetSummary(0, 40_000, 'en-US')).toBe('0 of 40,000 tokens used today (0%)');
    expect(budgetSummary(40_000, 40_000, 'en-US')).toBe('used up today (40,000 tokens): runs halt before their next model call until midnight UTC');
    expect(budgetSummary(0, 0, 'en-US')).toBe('used up: no model calls are allowed');
  });
});
