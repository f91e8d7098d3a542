// Hash routes of the app: #/chat (default), #/documents, #/runs, #/runs/{runId}, #/reviews, #/reviews/{reviewId},
// #/usage, #/integrations and #/audit.

export type RouteName = 'chat' | 'documents' | 'runs' | 'reviews' | 'usage' | 'integrations' | 'audit';

export interface Route {
  name: RouteName;
  /** With #/reviews/{id}: the review to open. */
  reviewId?: string;
  /** With #/runs/{id}: the run to open. */
  runId?: string;
}

/** The Runs tab with no run open. */
export const RUNS_HREF = '#/runs';

/** The id after `prefix` in `hash`, decoded; null when there is none or it does not decode. */
function idAfter(hash: string, prefix: string): string | null {
  try {
    return decodeURIComponent(hash.slice(prefix.length)) || null;
  } catch {
    return null;
  }
}

/** The route of a location hash; null for an in-page anchor such as #main (keep the current view). */
export function parseRoute(hash: string): Route | null {
  if (hash === '' || hash === '#' || hash === '#/' || hash === '#/chat') return { name: 'chat' };
  if (hash === '#/documents') return { name: 'documents' };
  if (hash === '#/usage') return { name: 'usage' };
  if (hash === '#/integrations') return { name: 'integrations' };
  if (hash === '#/audit') return { name: 'audit' };
  if (hash.startsWith('#/reviews/') || hash === '#/reviews') {
    const reviewId = idAfter(hash, '#/reviews/');
    return reviewId ? { name: 'reviews', reviewId } : { name: 'reviews' };
  }
  if (hash.startsWith('#/runs/') || hash === RUNS_HREF) {
    const runId = idAfter(hash, '#/runs/');
    return runId ? { name: 'runs', runId } : { name: 'runs' };
  }
  return null;
}

/** The hash that opens the Reviews tab on one review. */
export function reviewHref(reviewId: string): string {
  return `#/reviews/${encodeURIComponent(reviewId)}`;
}

/** The hash that opens the Runs tab on one run. */
export function runHref(runId: string): string {
  return `${RUNS_HREF}/${encodeURIComponent(runId)}`;
}
