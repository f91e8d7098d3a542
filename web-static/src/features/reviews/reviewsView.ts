// The review queue: reviews of one status (pending by default), refreshed every few seconds while the tab is open,
// and the detail panel of the selected one. Selection lives in the URL (#/reviews/{id}), so the chat can link to it.

import { ApiError, isAbort, REVIEW_STATUS_FILTERS, type Review, type ReviewStatusFilter, type StewardClient } from '../../api/client';
import { h, replaceChildren, uid } from '../../lib/dom';
import { reviewHref } from '../../lib/routes';
import { createReviewDetail, statusBadge } from './reviewDetail';
import { filterLabel, formatAge, mergeReviews, reviewStatusLabel, summarizePayload } from './reviewHelpers';

export const REVIEW_REFRESH_MS = 3000;

export interface ReviewsContext {
  client: StewardClient;
  signal: AbortSignal;
  onUnauthorized: (message: string) => void;
}

export interface ReviewsView {
  element: HTMLElement;
  /** The tab became visible (or its URL changed): loads the queue, resumes auto-refresh, opens `reviewId` if given. */
  onShow(reviewId?: string | null): void;
  onHide(): void;
}

interface Row {
  item: HTMLLIElement;
  link: HTMLAnchorElement;
  agent: HTMLElement;
  tool: HTMLElement;
  badgeSlot: HTMLElement;
  age: HTMLTimeElement;
  summary: HTMLElement;
  status: string;
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function renderReviews(ctx: ReviewsContext): ReviewsView {
  let filter: ReviewStatusFilter = 'pending';
  let listed: Review[] = [];
  let loaded = false;
  const decidedHere = new Map<string, Review>();
  const rows = new Map<string, Row>();
  let selectedId: string | null = null;
  let visible = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loading = false;
  let reloadAgain = false;

  const detail = createReviewDetail({
    decide: (review, request) => ctx.client.decideReview(review.reviewId, request, ctx.signal),
    reload: (reviewId) => ctx.client.getReview(reviewId, ctx.signal),
    onChanged: (review) => {
      decidedHere.set(review.reviewId, review);
      renderList();
    },
    onUnauthorized: ctx.onUnauthorized,
  });

  // --- the queue ---
  const filterId = uid('review-filter');
  const filterSelect = h('select', { id: filterId, testid: 'review-filter', className: 'compact' });
  for (const f of REVIEW_STATUS_FILTERS) filterSelect.append(h('option', { value: f }, filterLabel(f)));
  filterSelect.value = filter;
  filterSelect.addEventListener('change', () => {
    filter = filterSelect.value as ReviewStatusFilter;
    listed = [];
    loaded = false;
    liveNote.textContent = 'Loading…';
    renderList();
    void load();
  });
  const refreshButton = h('button', { type: 'button', className: 'btn btn-ghost' }, 'Refresh');
  refreshButton.addEventListener('click', () => void load());
  const liveNote = h('span', { className: 'hint' }, 'Loading…');
  const listError = h('p', { className: 'form-error', role: 'alert', testid: 'review-list-error', hidden: true });
  const list = h('ul', { className: 'review-list', 'aria-label': 'Reviews, newest first' });
  const emptyList = h('p', { className: 'muted empty-list', testid: 'review-empty', hidden: true });

  const element = h(
    'div',
    { className: 'reviews-layout' },
    h(
      'section',
      { className: 'card review-queue', 'aria-labelledby': 'reviews-title' },
      h(
        'div',
        { className: 'section-head' },
        h('h2', { id: 'reviews-title' }, 'Review queue'),
        h('label', { for: filterId, className: 'inline-label' }, 'Show', filterSelect),
        refreshButton,
      ),
      h('p', { className: 'hint queue-hint' }, 'Tool calls with side effects wait here for a human decision. ', liveNote),
      listError,
      list,
      emptyList,
    ),
    detail.element,
  );

  function buildRow(review: Review): Row {
    const agent = h('span', { className: 'review-agent' });
    const tool = h('code', { className: 'review-tool' });
    const badgeSlot = h('span', { className: 'review-badge' });
    const age = h('time', { className: 'review-age hint' });
    const summary = h('span', { className: 'review-summary' });
    const link = h(
      'a',
      { className: 'review-row', href: reviewHref(review.reviewId), testid: 'review-row', 'data-review-id': review.reviewId },
      h('span', { className: 'review-row-head' }, agent, h('span', { className: 'muted', 'aria-hidden': 'true' }, '→'), tool, badgeSlot, age),
      summary,
    );
    return { item: h('li', null, link), link, agent, tool, badgeSlot, age, summary, status: '' };
  }

  function updateRow(row: Row, review: Review, now: number): void {
    setText(row.agent, review.agent);
    setText(row.tool, review.tool);
    setText(row.summary, summarizePayload(review.payload));
    setText(row.age, formatAge(review.createdAt, now));
    if (review.createdAt) row.age.dateTime = review.createdAt;
    if (row.status !== review.status) {
      row.status = review.status;
      row.link.dataset.status = review.status;
      replaceChildren(row.badgeSlot, statusBadge(review.status));
    }
    row.link.setAttribute('aria-label', `${review.agent} wants to call ${review.tool}: ${reviewStatusLabel(review.status)}, ${formatAge(review.createdAt, now)}`);
    if (review.reviewId === selectedId) row.link.setAttribute('aria-current', 'true');
    else row.link.removeAttribute('aria-current');
  }

  /** Updates rows in place (never rebuilding one that exists), so focus and hover survive the auto-refresh. */
  function renderList(): void {
    const now = Date.now();
    const reviews = mergeReviews(listed, decidedHere, filter);
    const keep = new Set(reviews.map((r) => r.reviewId));
    for (const [id, row] of rows) {
      if (!keep.has(id)) {
        row.item.remove();
        rows.delete(id);
      }
    }
    reviews.forEach((review, index) => {
      let row = rows.get(review.reviewId);
      if (!row) {
        row = buildRow(review);
        rows.set(review.reviewId, row);
      }
      updateRow(row, review, now);
      const at = list.children[index];
      if (at !== row.item) list.insertBefore(row.item, at ?? null);
    });
    emptyList.hidden = !loaded || reviews.length > 0;
    emptyList.textContent = filter === 'pending' ? 'Nothing is waiting for a decision.' : filter === 'all' ? 'No reviews yet.' : `No ${filterLabel(filter).toLowerCase()} reviews.`;
    list.hidden = reviews.length === 0;
    detail.tick(now);
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = undefined;
    if (visible && !ctx.signal.aborted) timer = setTimeout(() => void load(), REVIEW_REFRESH_MS);
  }

  async function load(): Promise<void> {
    if (loading) {
      reloadAgain = true; // the filter changed mid-request: load again once it answers
      return;
    }
    loading = true;
    refreshButton.disabled = true;
    const asked = filter;
    try {
      if (typeof document !== 'undefined' && document.hidden && loaded) return; // background tab: skip this round
      const page = await ctx.client.listReviews(asked, ctx.signal);
      if (asked !== filter) return; // a newer filter is loaded next (reloadAgain)
      listed = page.reviews ?? [];
      loaded = true;
      listError.hidden = true;
      liveNote.textContent = `Refreshing every ${REVIEW_REFRESH_MS / 1000} s.`;
      renderList();
      await refreshSelectedIfGone();
    } catch (e) {
      if (isAbort(e)) return;
      if (e instanceof ApiError && e.status === 401) return ctx.onUnauthorized(e.message);
      listError.hidden = false;
      listError.textContent =
        e instanceof ApiError && e.status === 403
          ? 'Your role cannot see the review queue.'
          : `Could not load reviews: ${e instanceof ApiError ? e.message : String(e)}`;
    } finally {
      loading = false;
      refreshButton.disabled = false;
      if (reloadAgain) {
        reloadAgain = false;
        void load();
      } else {
        schedule();
      }
    }
  }

  /**
   * The review on show is pending, but the list says it changed or cannot vouch for it (it is not listed: decided by
   * someone else, expired, or simply outside the filter): check it, so the panel does not offer actions that can only fail.
   */
  async function refreshSelectedIfGone(): Promise<void> {
    const id = detail.reviewId;
    if (!id || detail.status !== 'pending' || decidedHere.has(id)) return;
    const inList = listed.find((r) => r.reviewId === id);
    if (inList?.status === 'pending') return;
    try {
      const latest = inList ?? (await ctx.client.getReview(id, ctx.signal));
      if (detail.reviewId === id && detail.status === 'pending' && latest.status !== 'pending') {
        decidedHere.set(id, latest);
        detail.show(latest, latest.status === 'expired' ? 'This review expired while you had it open.' : 'This review was decided elsewhere while you had it open.');
        renderList();
      }
    } catch (e) {
      if (isAbort(e)) return;
      if (e instanceof ApiError && e.status === 401) return ctx.onUnauthorized(e.message);
      // A failed check is not worth a banner; the next round tries again.
    }
  }

  async function select(reviewId: string): Promise<void> {
    if (selectedId === reviewId && detail.reviewId === reviewId) return; // keep what the reviewer typed
    selectedId = reviewId;
    renderList();
    // One column (narrow screens): the panel is below the queue, bring it into view.
    if (typeof matchMedia === 'function' && matchMedia('(max-width: 60rem)').matches) {
      queueMicrotask(() => detail.element.scrollIntoView({ block: 'start', behavior: 'smooth' }));
    }
    const known = decidedHere.get(reviewId) ?? listed.find((r) => r.reviewId === reviewId);
    if (known) {
      detail.show(known);
      return;
    }
    detail.loading(reviewId);
    try {
      const review = await ctx.client.getReview(reviewId, ctx.signal);
      if (selectedId === reviewId) detail.show(review);
    } catch (e) {
      if (isAbort(e)) return;
      if (e instanceof ApiError && e.status === 401) return ctx.onUnauthorized(e.message);
      if (selectedId !== reviewId) return;
      const message =
        e instanceof ApiError && e.status === 404
          ? `There is no review ${reviewId} in your tenant.`
          : `Could not load the review: ${e instanceof ApiError ? e.message : String(e)}`;
      detail.failed(reviewId, message);
    }
  }

  renderList();

  return {
    element,
    onShow(reviewId) {
      if (reviewId) void select(reviewId);
      if (visible) return;
      visible = true;
      void load();
    },
    onHide() {
      visible = false;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
