import { describe, expect, it } from 'vitest';
import type { Run, Source } from '../../api/client';
import { citationsWithSources, findSource, formatMs, highlightSegments, isOfflineModel, locateQuote, totalStepMs, verdictLabels } from './citations';

const source = (documentId: string, chunkId: string, text = 'text', title = 'Title'): Source => ({ documentId, chunkId, title, text, score: 1 });

describe('findSource', () => {
  const sources = [source('doc_a', 'c1', 'alpha'), source('doc_b', 'c1', 'beta'), source('doc_b', 'c2', 'gamma')];

  it('matches chunkId and documentId', () => {
    expect(findSource(sources, { documentId: 'doc_b', chunkId: 'c1', quote: '' })?.text).toBe('beta');
  });

  it('falls back to chunkId alone', () => {
    expect(findSource(sources, { documentId: 'doc_x', chunkId: 'c2', quote: '' })?.text).toBe('gamma');
  });

  it('answers undefined when nothing matches or there are no sources', () => {
    expect(findSource(sources, { documentId: 'doc_a', chunkId: 'c9', quote: '' })).toBeUndefined();
    expect(findSource(undefined, { documentId: 'doc_a', chunkId: 'c1', quote: '' })).toBeUndefined();
  });

  it('pairs every citation of a run with its source, in order', () => {
    const run: Pick<Run, 'answer' | 'sources'> = {
      answer: {
        answer: 'A',
        model: 'offline-extractive',
        citations: [
          { documentId: 'doc_b', chunkId: 'c2', quote: 'gamma' },
          { documentId: 'doc_a', chunkId: 'c1', quote: 'alpha' },
        ],
      },
      sources,
    };
    expect(citationsWithSources(run).map((c) => c.source?.text)).toEqual(['gamma', 'alpha']);
    expect(citationsWithSources({ answer: null, sources })).toEqual([]);
  });
});

describe('highlightSegments', () => {
  it('marks the verbatim quote in the middle of the text', () => {
    expect(highlightSegments('Refunds take 5 days. Contact support.', 'take 5 days')).toEqual([
      { text: 'Refunds ', mark: false },
      { text: 'take 5 days', mark: true },
      { text: '. Contact support.', mark: false },
    ]);
  });

  it('marks a quote at the start or covering everything', () => {
    expect(highlightSegments('Hello world', 'Hello')).toEqual([
      { text: 'Hello', mark: true },
      { text: ' world', mark: false },
    ]);
    expect(highlightSegments('Hello', 'Hello')).toEqual([{ text: 'Hello', mark: true }]);
  });

  it('tolerates different whitespace and case', () => {
    const segments = highlightSegments('The quick\n  brown fox jumps', 'quick brown FOX');
    expect(segments.find((s) => s.mark)?.text).toBe('quick\n  brown fox');
    expect(segments.map((s) => s.text).join('')).toBe('The quick\n  brown fox jumps');
  });

  it('treats regex characters in the quote literally', () => {
    expect(locateQuote('cost is $5 (approx.) today', 'COST IS $5 (approx.)')).toEqual({ start: 0, end: 20 });
    expect(locateQuote('a.b', 'a*b')).toBeNull();
  });

  it('leaves the text unmarked when the quote is missing or empty', () => {
    expect(highlightSegments('Nothing here', 'absent')).toEqual([{ text: 'Nothing here', mark: false }]);
    expect(highlightSegments('Nothing here', '   ')).toEqual([{ text: 'Nothing here', mark: false }]);
    expect(highlightSegments('', 'x')).toEqual([]);
  });
});

describe('small formatters', () => {
  it('recognises offline models', () => {
    expect(isOfflineModel('offline-extractive')).toBe(true);
    expect(isOfflineModel('anthropic.claude-3-haiku')).toBe(false);
    expect(isOfflineModel(undefined)).toBe(false);
  });

  it('sums step durations and formats them', () => {
    expect(totalStepMs([{ step: 'plan', durationMs: 3 }, { step: 'retrieve', durationMs: 40 }, { step: 'answer' }])).toBe(43);
    expect(totalStepMs(null)).toBe(0);
    expect(formatMs(43)).toBe('43 ms');
    expect(formatMs(1534)).toBe('1.5 s');
    expect(formatMs(12_400)).toBe('12 s');
  });
});

describe('verdictLabels', () => {
  it('lists the checkpoints where a guardrail acted, with distinct categories, and leaves ALLOW out', () => {
    expect(
      verdictLabels({
        step: 'retrieve',
        verdicts: [
          { stage: 'RETRIEVED_CHUNK', verdict: 'REDACT', reasons: [
            { detector: 'pii', category: 'EMAIL' },
            { detector: 'prompt-injection', category: 'PROMPT_INJECTION' },
            { detector: 'pii', category: 'EMAIL' },
          ] },
          { stage: 'USER_INPUT', verdict: 'ALLOW' },
          { stage: 'ANSWER', verdict: 'DENY', action: 'WITHHELD', reasons: [{ detector: 'toxicity', category: 'TOXICITY' }] },
        ],
      }),
    ).toEqual(['sources: REDACT (EMAIL, PROMPT_INJECTION)', 'answer: DENY → WITHHELD (TOXICITY)']);
    expect(verdictLabels({ step: 'plan' })).toEqual([]);
  });
});
