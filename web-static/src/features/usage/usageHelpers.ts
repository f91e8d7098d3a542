// Pure helpers for the Usage tab: a whole period of days (zeros where nothing was counted), totals, guardrail
// verdicts grouped by kind, number and day formatting, and the scale of the tokens chart.

import type { UsageDay } from '../../api/client';
import { stageLabel } from '../chat/citations';

export interface UsageTotals {
  tokensIn: number;
  tokensOut: number;
  modelCalls: number;
  /** Guardrail verdicts other than ALLOW by `STAGE.VERDICT`, summed over the days. */
  verdicts: Record<string, number>;
}

/** Verdicts of one kind (DENY, ASK, REDACT, …) and the checkpoints where they happened, most frequent first. */
export interface VerdictKind {
  verdict: string;
  count: number;
  stages: { stage: string; count: number }[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Most severe first; kinds a newer server may add come after, alphabetically. */
const VERDICT_ORDER = ['DENY', 'ASK', 'REDACT'];

/** A counter as the server sent it, or 0 when it is missing or not a finite number. */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** The UTC day (`YYYY-MM-DD`) of an instant. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The UTC day `by` days after `day` (before, when negative). */
export function shiftDay(day: string, by: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + by);
  return utcDay(d);
}

/**
 * Exactly `days` days, newest first, ending on the newest day the server sent (its clock says what today is), or on
 * `fallbackToday` when it sent none. Days the server left out, and counters it left out, read as zero; rows outside
 * the period or without a valid day are dropped; two rows for one day add up.
 */
export function fillDays(rows: readonly Partial<UsageDay>[] | null | undefined, days: number, fallbackToday: string): UsageDay[] {
  const byDay = new Map<string, UsageDay>();
  for (const row of rows ?? []) {
    if (typeof row.day !== 'string' || !DAY.test(row.day)) continue;
    const into = byDay.get(row.day) ?? { day: row.day, tokensIn: 0, tokensOut: 0, modelCalls: 0, guardrailVerdicts: {} };
    into.tokensIn += count(row.tokensIn);
    into.tokensOut += count(row.tokensOut);
    into.modelCalls += count(row.modelCalls);
    addVerdicts(into.guardrailVerdicts, row.guardrailVerdicts);
    byDay.set(row.day, into);
  }
  const newest = [...byDay.keys()].sort().at(-1) ?? fallbackToday;
  return Array.from({ length: days }, (_, i) => {
    const day = shiftDay(newest, -i);
    return byDay.get(day) ?? { day, tokensIn: 0, tokensOut: 0, modelCalls: 0, guardrailVerdicts: {} };
  });
}

function addVerdicts(into: Record<string, number>, from: Record<string, number> | null | undefined): void {
  for (const [key, value] of Object.entries(from ?? {})) {
    const n = count(value);
    if (n !== 0) into[key] = (into[key] ?? 0) + n;
  }
}

/** Sums of every counter over `days`. */
export function usageTotals(days: readonly UsageDay[]): UsageTotals {
  const totals: UsageTotals = { tokensIn: 0, tokensOut: 0, modelCalls: 0, verdicts: {} };
  for (const d of days) {
    totals.tokensIn += d.tokensIn;
    totals.tokensOut += d.tokensOut;
    totals.modelCalls += d.modelCalls;
    addVerdicts(totals.verdicts, d.guardrailVerdicts);
  }
  return totals;
}

/**
 * Groups `STAGE.VERDICT` counts by verdict, most severe kind first (DENY, ASK, REDACT, then others by name), each
 * with its checkpoints, most frequent first. A key without a stage counts under the stage "".
 */
export function verdictsByKind(verdicts: Record<string, number>): VerdictKind[] {
  const kinds = new Map<string, VerdictKind>();
  for (const [key, value] of Object.entries(verdicts)) {
    const n = count(value);
    if (n === 0) continue;
    const dot = key.lastIndexOf('.');
    const stage = dot < 0 ? '' : key.slice(0, dot);
    const verdict = key.slice(dot + 1);
    const kind = kinds.get(verdict) ?? { verdict, count: 0, stages: [] };
    kind.count += n;
    const at = kind.stages.find((s) => s.stage === stage);
    if (at) at.count += n;
    else kind.stages.push({ stage, count: n });
    kinds.set(verdict, kind);
  }
  const rank = (v: string) => (VERDICT_ORDER.includes(v) ? VERDICT_ORDER.indexOf(v) : VERDICT_ORDER.length);
  const sorted = [...kinds.values()].sort((a, b) => rank(a.verdict) - rank(b.verdict) || a.verdict.localeCompare(b.verdict));
  for (const kind of sorted) kind.stages.sort((a, b) => b.count - a.count || a.stage.localeCompare(b.stage));
  return sorted;
}

/** The number of verdicts in `verdicts`. */
export function verdictCount(verdicts: Record<string, number>): number {
  return verdictsByKind(verdicts).reduce((sum, k) => sum + k.count, 0);
}

/** "DENY 1, REDACT 2" for one day's verdicts; "" when there were none. */
export function verdictSummary(verdicts: Record<string, number>, locale?: string): string {
  return verdictsByKind(verdicts)
    .map((k) => `${k.verdict} ${formatCount(k.count, locale)}`)
    .join(', ');
}

/** "sources 3, input 1": where the verdicts of one kind happened. */
export function stageSummary(kind: VerdictKind, locale?: string): string {
  return kind.stages.map((s) => `${s.stage ? stageLabel(s.stage) : 'unknown checkpoint'} ${formatCount(s.count, locale)}`).join(', ');
}

/** A whole count with the locale's digit grouping ("12,345"). */
export function formatCount(n: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n);
}

/** A short count for the chart's axis ("1.2K", "35M"). */
export function formatCompact(n: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

/** A UTC day for people: "Mon, Mar 3" (in the locale's order). */
export function formatDay(day: string, locale?: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d);
}

/**
 * The top of the tokens chart: the smallest 1, 2 or 5 × 10^k at or above `max` (at least 1), so the axis shows a
 * round number and the tallest bar fills most of the height.
 */
export function chartCeiling(max: number): number {
  if (!(max > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5]) {
    if (step * magnitude >= max) return step * magnitude;
  }
  return 10 * magnitude;
}

/** `value` as a percentage of `ceiling` for a bar's height, clamped to 0-100. */
export function barPercent(value: number, ceiling: number): number {
  if (!(ceiling > 0) || !(value > 0)) return 0;
  return Math.min(100, (value / ceiling) * 100);
}

/**
 * How much of the tenant's daily model-token budget today's usage takes: "12,345 of 2,000,000 tokens used today
 * (0.6%)"; "used up" at or past it (the tenant's runs halt before their next model call until the UTC day ends).
 */
export function budgetSummary(usedToday: number, limit: number, locale?: string): string {
  if (!(limit > 0)) return usedToday > 0 || limit === 0 ? 'used up: no model calls are allowed' : '';
  if (usedToday >= limit) return `used up today (${formatCount(usedToday, locale)} tokens): runs halt before their next model call until midnight UTC`;
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(usedToday / limit);
  return `${formatCount(usedToday, locale)} of ${formatCount(limit, locale)} tokens used today (${percent})`;
}
