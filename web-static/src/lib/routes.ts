// Hash routes of the app: #/chat (default), #/documents, #/reviews, #/reviews/{reviewId}, #/usage and #/integrations.

export type RouteName = 'chat' | 'documents' | 'reviews' | 'usage' | 'integrations';

export interface Route {
  name: RouteName;
  /** With #/reviews/{id}: the review to open. */
  reviewId?: string;
}

/** The route of a location hash; null for an in-page anchor such as #main (keep the current view). */
export function parseRoute(hash: string): Route | null {
  if (hash === '' || hash === '#' || hash === '#/' || hash === '#/chat') return { name: 'chat' };
  if (hash === '#/documents') return { name: 'documents' };
  if (hash === '#/usage') return { name: 'usage' };
  if (hash === '#/integrations') return { name: 'integrations' };
  if (hash === '#/reviews' || hash === '#/reviews/') return { name: 'reviews' };
  if (hash.startsWith('#/reviews/')) {
    let reviewId: string;
    try {
      reviewId = decodeURIComponent(hash.slice('#/reviews/'.length));
    } catch {
      return { name: 'reviews' };
    }
    return reviewId ? { name: 'reviews', reviewId } : { name: 'reviews' };
  }
  return null;
}

/** The hash that opens the Reviews tab on one review. */
export function reviewHref(reviewId: string): string {
  return `#/reviews/${encodeURIComponent(reviewId)}`;
}
