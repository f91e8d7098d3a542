// The detail panel of one review: the exact payload, its metadata, the decision (once there is one) and the
// approve / reject / edit actions while it is pending.

import { ApiError, isAbort, type DecisionRequest, type Review } from '../../api/client';
import { formatTime, h, replaceChildren, uid } from '../../lib/dom';
import { prettyJson, sourceOf } from '../../lib/json';
import { checkEditedPayload, decisionErrorMessage, decisionLabel, formatAge, formatExpiry, isPastExpiry, reviewStatusLabel } from './reviewHelpers';

export interface DetailHandlers {
  /** Sends a decision; resolves with the updated review, rejects with an ApiError. */
  decide(review: Review, request: DecisionRequest): Promise<Review>;
  /** Fetches the current state of a review (after a 409, say). */
  reload(reviewId: string): Promise<Review>;
  /** Called with every newer state of the review this panel learned (decided here or by someone else). */
  onChanged(review: Review): void;
  onUnauthorized(message: string): void;
}

export interface ReviewDetail {
  element: HTMLElement;
  /** The review on show, if any. */
  readonly reviewId: string | null;
  readonly status: string | null;
  show(review: Review, notice?: string): void;
  loading(reviewId: string): void;
  failed(reviewId: string, message: string): void;
  clear(): void;
  /** Refreshes the relative times (expiry) without touching what the reviewer typed. */
  tick(now: number): void;
}

export function statusBadge(status: string, testid?: string): HTMLElement {
  return h('span', { className: `badge badge-review-${status}`, testid, 'data-status': status }, reviewStatusLabel(status));
}

function metaRow(label: string, value: Node | string | null | undefined): Node[] {
  if (value === null || value === undefined || value === '') return [];
  return [h('dt', null, label), h('dd', null, value)];
}

export function createReviewDetail(handlers: DetailHandlers): ReviewDetail {
  const element = h('section', { className: 'card review-detail', testid: 'review-detail', 'aria-labelledby': 'review-detail-title' });
  let current: Review | null = null;
  let expiryEl: HTMLElement | null = null;
  /** Bumped whenever the panel shows something else, so late answers for an older state are dropped. */
  let generation = 0;

  function renderExpiry(now: number): void {
    if (expiryEl && current?.expiresAt) expiryEl.textContent = `${formatTime(current.expiresAt)} (${formatExpiry(current.expiresAt, now)})`;
  }

  /** Shows something other than a review: bumps the generation so late answers for the previous one are dropped. */
  function showOther(...children: Node[]): void {
    generation++;
    current = null;
    expiryEl = null;
    element.removeAttribute('aria-busy');
    replaceChildren(element, children);
  }

  function clear(): void {
    showOther(h('p', { className: 'muted review-placeholder', id: 'review-detail-title' }, 'Select a review to see the proposed tool call and decide on it.'));
  }

  function show(review: Review, notice?: string): void {
    generation++;
    element.removeAttribute('aria-busy');
    current = review;
    const now = Date.now();
    const pending = review.status === 'pending';

    const title = h('h2', { id: 'review-detail-title', tabindex: '-1' }, h('code', { className: 'tool-name' }, review.tool));
    expiryEl = review.expiresAt ? h('span', { className: 'expiry' }) : null;
    renderExpiry(now);

    const errorBox = h('div', { className: 'form-error review-error', role: 'alert', testid: 'review-error', hidden: !notice }, notice ?? '');
    const showError = (message: string, code?: string) => {
      replaceChildren(errorBox, message, code && !code.startsWith('http_') ? h('code', { className: 'error-code' }, code) : null);
      errorBox.hidden = false;
    };

    const meta = h(
      'dl',
      { className: 'review-meta' },
      metaRow('Agent', review.agent),
      metaRow('Tool', h('code', null, review.tool)),
      metaRow('Side effect', review.sideEffect ? h('span', { className: 'side-effect', testid: 'review-side-effect' }, review.sideEffect) : null),
      metaRow('Reason', review.reason ? h('span', { testid: 'review-reason' }, review.reason) : null),
      metaRow('Run', h('code', { testid: 'review-run-id' }, review.runId)),
      metaRow('Payload hash', review.payloadHash ? h('code', { className: 'hash', testid: 'review-payload-hash' }, review.payloadHash) : null),
      metaRow('Created', review.createdAt ? `${formatTime(review.createdAt)} (${formatAge(review.createdAt, now)})` : null),
      metaRow('Expires', expiryEl),
    );

    const payloadId = uid('payload');
    const payloadSection = h(
      'div',
      { className: 'payload-block' },
      h('h3', { className: 'eyebrow', id: payloadId }, pending ? 'Proposed payload (exactly what Approve runs)' : 'Proposed payload'),
      h('pre', { className: 'payload', testid: 'review-payload', 'aria-labelledby': payloadId, tabindex: '0' }, prettyJson(review.payload)),
    );

    const children: (Node | null)[] = [
      h('div', { className: 'review-detail-head' }, h('p', { className: 'eyebrow' }, 'Review'), statusBadge(review.status, 'review-status')),
      title,
      h('p', { className: 'hint review-id' }, h('code', null, review.reviewId)),
      pending && isPastExpiry(review, now)
        ? h('p', { className: 'review-warning', role: 'note' }, 'This review is past its expiry time; the server will probably refuse a decision.')
        : null,
      meta,
      payloadSection,
    ];

    if (review.decision || !pending) children.push(renderDecision(review));
    children.push(errorBox);
    if (pending) children.push(renderActions(review, showError, () => (errorBox.hidden = true)));

    replaceChildren(element, children);
  }

  function renderDecision(review: Review): HTMLElement {
    const d = review.decision;
    const status = review.status;
    if (!d) {
      return h(
        'div',
        { className: `review-decision decision-${status}`, testid: 'review-decision', 'data-status': status },
        h('h3', { className: 'eyebrow' }, 'Decision'),
        h('p', null, status === 'expired' ? 'Nobody decided in time: the review expired.' : reviewStatusLabel(status)),
      );
    }
    return h(
      'div',
      { className: `review-decision decision-${status}`, testid: 'review-decision', 'data-status': status, 'data-decision': d.decision },
      h('h3', { className: 'eyebrow' }, 'Decision'),
      h(
        'p',
        { className: 'decision-line' },
        h('strong', null, decisionLabel(d.decision)),
        d.by ? [' by ', h('code', null, d.by)] : null,
        d.at ? [' · ', h('time', { datetime: d.at }, formatTime(d.at))] : null,
      ),
      d.comment ? h('blockquote', { className: 'decision-comment', testid: 'review-decision-comment' }, d.comment) : null,
      d.decision === 'edit' && d.payload !== undefined
        ? h(
            'div',
            { className: 'payload-block' },
            h('h3', { className: 'eyebrow' }, 'Edited payload (what ran instead)'),
            h('pre', { className: 'payload edited', testid: 'review-decision-payload', tabindex: '0' }, prettyJson(d.payload)),
          )
        : null,
    );
  }

  function renderActions(review: Review, showError: (message: string, code?: string) => void, hideError: () => void): HTMLElement {
    const commentId = uid('comment');
    const comment = h('textarea', {
      id: commentId,
      rows: 2,
      testid: 'review-comment',
      placeholder: 'Why you reject it, or what you changed. The agent sees this.',
      'aria-describedby': `${commentId}-error`,
    });
    const commentError = h('p', { className: 'form-error', id: `${commentId}-error`, testid: 'review-comment-error', hidden: true });

    const approve = h('button', { type: 'button', className: 'btn btn-primary', testid: 'review-approve' }, 'Approve');
    const reject = h('button', { type: 'button', className: 'btn btn-danger', testid: 'review-reject' }, 'Reject');
    const editToggle = h('button', { type: 'button', className: 'btn btn-ghost', testid: 'review-edit', 'aria-expanded': 'false' }, 'Edit…');

    const originalJson = sourceOf(review.payload) ?? JSON.stringify(review.payload);
    const editorId = uid('edit');
    const editor = h('textarea', {
      id: editorId,
      className: 'json-editor',
      rows: Math.min(24, Math.max(6, prettyJson(review.payload).split('\n').length + 1)),
      spellcheck: 'false',
      autocapitalize: 'off',
      autocomplete: 'off',
      testid: 'review-edit-payload',
      'aria-describedby': `${editorId}-error ${editorId}-hint`,
    });
    editor.value = prettyJson(review.payload);
    const editError = h('p', { className: 'form-error', id: `${editorId}-error`, role: 'alert', testid: 'review-edit-error', hidden: true });
    const editSubmit = h('button', { type: 'button', className: 'btn btn-primary', testid: 'review-edit-submit' }, 'Approve edited');
    const editCancel = h('button', { type: 'button', className: 'btn btn-ghost' }, 'Cancel');
    const editorBox = h(
      'div',
      { className: 'review-editor', hidden: true },
      h('label', { for: editorId }, 'Edited payload (JSON)'),
      editor,
      h('p', { className: 'hint', id: `${editorId}-hint` }, 'The tool runs with exactly this JSON instead of the proposed payload. The comment above goes with it.'),
      editError,
      h('div', { className: 'button-row' }, editSubmit, editCancel),
    );

    const buttons = [approve, reject, editToggle, editSubmit, editCancel];
    const labels = new Map(buttons.map((b) => [b, b.textContent ?? '']));
    let busy = false;
    const setBusy = (on: boolean, button: HTMLButtonElement) => {
      busy = on;
      for (const b of buttons) b.disabled = on;
      button.textContent = on ? 'Saving…' : labels.get(button) ?? '';
      if (on) element.setAttribute('aria-busy', 'true');
      else element.removeAttribute('aria-busy');
    };

    const openEditor = (open: boolean) => {
      editorBox.hidden = !open;
      editToggle.setAttribute('aria-expanded', String(open));
      if (open) editor.focus();
      else {
        editError.hidden = true;
        editor.removeAttribute('aria-invalid');
      }
    };
    editToggle.addEventListener('click', () => openEditor(editorBox.hidden));
    editCancel.addEventListener('click', () => {
      editor.value = prettyJson(review.payload);
      openEditor(false);
      editToggle.focus();
    });
    editor.addEventListener('input', () => {
      if (!editError.hidden) {
        editError.hidden = true;
        editor.removeAttribute('aria-invalid');
      }
    });
    comment.addEventListener('input', () => {
      commentError.hidden = true;
      comment.removeAttribute('aria-invalid');
    });

    const submit = async (request: DecisionRequest, button: HTMLButtonElement) => {
      if (busy) return;
      hideError();
      const mine = generation;
      setBusy(true, button);
      let outcome: { review: Review; notice?: string } | null = null;
      try {
        outcome = { review: await handlers.decide(review, request) };
      } catch (e) {
        if (isAbort(e)) return; // the app was torn down
        const err = ApiError.from(e);
        if (err.status === 401) return handlers.onUnauthorized(err.message);
        const message = decisionErrorMessage(err);
        if (err.status === 409) {
          // Another decision won: show which one.
          try {
            outcome = { review: await handlers.reload(review.reviewId), notice: message };
          } catch (reloadError) {
            if (isAbort(reloadError)) return;
          }
        }
        if (!outcome) {
          if (mine !== generation) return; // the reviewer moved on to another review
          setBusy(false, button);
          if (request.decision === 'edit' && err.status === 400) {
            editError.textContent = message;
            editError.hidden = false;
            editor.setAttribute('aria-invalid', 'true');
          } else {
            showError(message, err.code);
          }
          return;
        }
      }
      handlers.onChanged(outcome.review);
      if (mine === generation) show(outcome.review, outcome.notice);
    };

    approve.addEventListener('click', () => void submit({ decision: 'approve' }, approve));
    reject.addEventListener('click', () => {
      const text = comment.value.trim();
      if (!text) {
        commentError.textContent = 'Say why you reject it: the agent gets your comment as the tool’s answer.';
        commentError.hidden = false;
        comment.setAttribute('aria-invalid', 'true');
        comment.focus();
        return;
      }
      void submit({ decision: 'reject', comment: text }, reject);
    });
    editSubmit.addEventListener('click', () => {
      const check = checkEditedPayload(editor.value, originalJson);
      if (!check.ok) {
        editError.textContent = check.message;
        editError.hidden = false;
        editor.setAttribute('aria-invalid', 'true');
        editor.focus();
        return;
      }
      void submit({ decision: 'edit', payloadJson: check.json, comment: comment.value.trim() || undefined }, editSubmit);
    });

    return h(
      'div',
      { className: 'review-actions' },
      h('h3', { className: 'eyebrow' }, 'Decide'),
      h('label', { for: commentId }, 'Comment ', h('span', { className: 'muted' }, '(required to reject)')),
      comment,
      commentError,
      h('div', { className: 'button-row' }, approve, reject, editToggle),
      editorBox,
    );
  }

  clear();

  return {
    element,
    get reviewId() {
      return current?.reviewId ?? null;
    },
    get status() {
      return current?.status ?? null;
    },
    show,
    loading(reviewId) {
      showOther(
        h(
          'p',
          { className: 'muted review-placeholder', role: 'status', id: 'review-detail-title' },
          h('span', { className: 'spinner', 'aria-hidden': 'true' }),
          ` Loading review ${reviewId}…`,
        ),
      );
    },
    failed(reviewId, message) {
      showOther(
        h('h2', { id: 'review-detail-title' }, h('code', null, reviewId)),
        h('p', { className: 'form-error', role: 'alert', testid: 'review-error' }, message),
      );
    },
    clear,
    tick: renderExpiry,
  };
}
