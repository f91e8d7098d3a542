// Pure helpers for citations: find a citation's source and split a source's text around the quoted passage.

import type { Citation, Run, Source, Step } from '../../api/client';

export interface Segment {
  text: string;
  mark: boolean;
}

/**
 * The source a citation points at: same chunkId and documentId, else the same chunkId alone
 * (the API guarantees every citation's chunkId is one of the run's sources).
 */
export function findSource(sources: readonly Source[] | null | undefined, citation: Citation): Source | undefined {
  if (!sources || sources.length === 0) return undefined;
  return (
    sources.find((s) => s.chunkId === citation.chunkId && s.documentId === citation.documentId) ??
    sources.find((s) => s.chunkId === citation.chunkId)
  );
}

/** Every citation of a run paired with its source (undefined when the run does not carry it). */
export function citationsWithSources(run: Pick<Run, 'answer' | 'sources'>): { citation: Citation; source: Source | undefined }[] {
  const citations = run.answer?.citations ?? [];
  return citations.map((citation) => ({ citation, source: findSource(run.sources, citation) }));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Finds where `quote` sits in `text`: verbatim first, then ignoring case and runs of whitespace. */
export function locateQuote(text: string, quote: string): { start: number; end: number } | null {
  const q = quote.trim();
  if (!q || !text) return null;
  const exact = text.indexOf(q);
  if (exact >= 0) return { start: exact, end: exact + q.length };
  const words = q.split(/\s+/).filter(Boolean).map(escapeRegExp);
  if (words.length === 0) return null;
  const match = new RegExp(words.join('\\s+'), 'i').exec(text);
  return match ? { start: match.index, end: match.index + match[0].length } : null;
}

/**
 * Splits `text` into plain and highlighted segments, marking the first place `quote` occurs.
 * When the quote cannot be found the whole text comes back unmarked, so the source is still readable.
 */
export function highlightSegments(text: string, quote: string): Segment[] {
  const at = locateQuote(text, quote);
  if (!at) return text ? [{ text, mark: false }] : [];
  const segments: Segment[] = [];
  if (at.start > 0) segments.push({ text: text.slice(0, at.start), mark: false });
  segments.push({ text: text.slice(at.start, at.end), mark: true });
  if (at.end < text.length) segments.push({ text: text.slice(at.end), mark: false });
  return segments;
}

/** Models whose name starts with "offline" answer by extraction: no language model ran. */
export function isOfflineModel(model: string | null | undefined): boolean {
  return !!model && /^offline\b/i.test(model.trim());
}

/** Total duration of the steps that report one, in ms. */
export function totalStepMs(steps: readonly Step[] | null | undefined): number {
  return (steps ?? []).reduce((sum, s) => sum + (typeof s.durationMs === 'number' ? s.durationMs : 0), 0);
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

const STAGE_LABELS: Record<string, string> = {
  USER_INPUT: 'input',
  RETRIEVED_CHUNK: 'sources',
  TOOL_ARGUMENTS: 'tool call',
  TOOL_RESULT: 'tool result',
  ANSWER: 'answer',
};

/** The short name of a guardrail checkpoint (`RETRIEVED_CHUNK` → "sources"); unknown ones in lower case. */
export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage] ?? stage.toLowerCase();
}

/**
 * One short label per checkpoint where a guardrail did something (ALLOW is left out): where, what (the action when
 * the loop did more than the verdict says), and the distinct categories found, e.g. "sources: REDACT (EMAIL,
 * PROMPT_INJECTION)".
 */
export function verdictLabels(step: Step): string[] {
  return (step.verdicts ?? [])
    .filter((v) => v.verdict !== 'ALLOW')
    .map((v) => {
      const categories = [...new Set((v.reasons ?? []).map((r) => r.category))];
      const what = v.action ? `${v.verdict} → ${v.action}` : v.verdict;
      return `${stageLabel(v.stage)}: ${what}${categories.length ? ` (${categories.join(', ')})` : ''}`;
    });
}
