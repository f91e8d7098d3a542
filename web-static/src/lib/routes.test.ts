import { describe, expect, it } from 'vitest';
import { parseRoute, reviewHref, runHref } from './routes';

describe('routes', () => {
  it('parses the app routes', () => {
    expect(['', '#', '#/', '#/chat'].map(parseRoute)).toEqual(Array(4).fill({ name: 'chat' }));
    expect(parseRoute('#/documents')).toEqual({ name: 'documents' });
    expect(parseRoute('#/usage')).toEqual({ name: 'usage' });
    expect(parseRoute('#/integrations')).toEqual({ name: 'integrations' });
    expect(parseRoute('#/reviews')).toEqual({ name: 'reviews' });
    expect(parseRoute('#/reviews/')).toEqual({ name: 'reviews' });
    expect(parseRoute('#/reviews/rev_123')).toEqual({ name: 'reviews', reviewId: 'rev_123' });
    expect(parseRoute('#/reviews/%E0%A4%A')).toEqual({ name: 'reviews' });
    expect(parseRoute('#/runs')).toEqual({ name: 'runs' });
    expect(parseRoute('#/runs/')).toEqual({ name: 'runs' });
    expect(parseRoute('#/runs/run_123')).toEqual({ name: 'runs', runId: 'run_123' });
    expect(parseRoute('#/runs/%E0%A4%A')).toEqual({ name: 'runs' });
  });

  it('leaves in-page anchors and unknown routes alone', () => {
    expect(parseRoute('#main')).toBeNull();
    expect(parseRoute('#/integrations/zendesk')).toBeNull();
    expect(parseRoute('#/runsx')).toBeNull();
  });

  it('round-trips a review id through its link', () => {
    for (const id of ['rev_1', 'rev/with?odd#chars %']) expect(parseRoute(reviewHref(id))).toEqual({ name: 'reviews', reviewId: id });
  });

  it('round-trips a run id through its link', () => {
    for (const id of ['run_1', 'run/with?odd#chars %']) expect(parseRoute(runHref(id))).toEqual({ name: 'runs', runId: id });
  });
});
