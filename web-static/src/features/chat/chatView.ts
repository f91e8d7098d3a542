import { ApiError, isAbort, pollRun, type Agent, type Run, type StewardClient } from '../../api/client';
import { h, replaceChildren, uid } from '../../lib/dom';
import { reviewHref } from '../../lib/routes';
import { renderRunResult, runStatusBadge } from '../runs/runResult';
import { ALL_DOCUMENTS, scopeChoices, scopeFilters } from './scope';
import { createSourcePanel, type SourcePanel } from './sourcePanel';

const AGENT_PREF = 'steward.agent';
const DEFAULT_AGENT = 'knowledge-assistant';
/** Gives up on a run QUEUED or RUNNING this long; time WAITING_FOR_REVIEW does not count (a human decides). */
const RUN_TIMEOUT_MS = 5 * 60 * 1000;
const WAITING_POLL_MS = 2000;

export interface ChatContext {
  client: StewardClient;
  agents: Agent[];
  signal: AbortSignal;
  onUnauthorized: (message: string) => void;
}

function preferredAgent(agents: Agent[]): string {
  let saved: string | null = null;
  try {
    saved = sessionStorage.getItem(AGENT_PREF);
  } catch {
    /* storage unavailable */
  }
  const names = agents.map((a) => a.name);
  if (saved && names.includes(saved)) return saved;
  if (names.includes(DEFAULT_AGENT)) return DEFAULT_AGENT;
  return names[0] ?? '';
}

export function renderChat(ctx: ChatContext): HTMLElement {
  const panel = createSourcePanel();
  const transcript = h('ol', { className: 'transcript', 'aria-label': 'Conversation' });
  const empty = h(
    'div',
    { className: 'empty-state' },
    h('h2', null, 'Ask your knowledge base'),
    h('p', { className: 'muted' }, 'Answers cite the passages they come from. Click a citation to read the source.'),
  );

  // --- the question form ---
  const selectId = uid('agent');
  const questionId = uid('question');
  const agentDescription = h('p', { className: 'hint', id: uid('agent-desc') });
  const select = h('select', { id: selectId, name: 'agent', testid: 'agent-select', 'aria-describedby': agentDescription.id });
  for (const agent of ctx.agents) select.append(h('option', { value: agent.name }, agent.name));
  select.value = preferredAgent(ctx.agents);
  const describe = () => {
    const agent = ctx.agents.find((a) => a.name === select.value);
    agentDescription.textContent = agent?.description ?? '';
  };
  describe();
  select.addEventListener('change', () => {
    describe();
    try {
      sessionStorage.setItem(AGENT_PREF, select.value);
    } catch {
      /* storage unavailable */
    }
  });

  // Which documents to search: all by default, or one; the list is refreshed whenever the menu is opened.
  const scopeId = uid('scope');
  const scope = h('select', { id: scopeId, name: 'scope', testid: 'scope-select' }, h('option', { value: ALL_DOCUMENTS }, 'All documents'));
  const loadScopes = async () => {
    try {
      const names = scopeChoices((await ctx.client.listDocuments(ctx.signal)).documents);
      const chosen = scope.value;
      replaceChildren(scope, h('option', { value: ALL_DOCUMENTS }, 'All documents'), names.map((n) => h('option', { value: n }, n)));
      scope.value = names.includes(chosen) ? chosen : ALL_DOCUMENTS;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) ctx.onUnauthorized(err.message);
      // otherwise keep the current list: searching all documents still works
    }
  };
  void loadScopes();
  scope.addEventListener('focus', () => void loadScopes());

  const question = h('textarea', {
    id: questionId,
    name: 'question',
    rows: 3,
    required: true,
    placeholder: 'Ask a question about your documents…',
    testid: 'question-input',
    'aria-describedby': `${questionId}-hint`,
  });
  const askButton = h('button', { type: 'submit', className: 'btn btn-primary', testid: 'ask-button' }, 'Ask');
  const formError = h('p', { className: 'form-error', role: 'alert', hidden: true });

  const form = h(
    'form',
    { className: 'ask-form card', 'aria-label': 'Ask a question' },
    h(
      'div',
      { className: 'ask-options' },
      h('div', { className: 'field agent-field' }, h('label', { for: selectId }, 'Agent'), select, agentDescription),
      h('div', { className: 'field scope-field' }, h('label', { for: scopeId }, 'Search in'), scope),
    ),
    h(
      'div',
      { className: 'field question-field' },
      h('label', { for: questionId }, 'Question'),
      question,
      h('p', { className: 'hint', id: `${questionId}-hint` }, 'Enter to send, Shift+Enter for a new line.'),
    ),
    formError,
    h('div', { className: 'form-actions' }, askButton),
  );

  if (ctx.agents.length === 0) {
    select.disabled = true;
    question.disabled = true;
    askButton.disabled = true;
    formError.hidden = false;
    formError.textContent = 'This tenant has no agents yet, so there is nothing to ask.';
  }

  question.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  // The form is busy from the question until its run ends or waits for a review (which can take hours, so the
  // reviewer's decision is awaited in the background while other questions can be asked).
  let busyWith = 0;
  let submissions = 0;
  const setBusy = (on: boolean) => {
    askButton.disabled = on;
    askButton.textContent = on ? 'Asking…' : 'Ask';
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = question.value.trim();
    formError.hidden = true;
    if (!input) {
      formError.hidden = false;
      formError.textContent = 'Type a question first.';
      question.focus();
      return;
    }
    if (busyWith || !select.value) return;
    const me = ++submissions;
    busyWith = me;
    setBusy(true);
    const release = () => {
      if (busyWith !== me) return;
      busyWith = 0;
      setBusy(false);
      if (!ctx.signal.aborted) question.focus();
    };
    empty.remove();

    const filters = scopeFilters(scope.value);
    const turn = createTurn(input, select.value, scope.value, panel);
    transcript.append(turn.element);
    turn.element.scrollIntoView({ block: 'end', behavior: 'smooth' });
    question.value = '';
    try {
      const accepted = await ctx.client.createRun(filters ? { agent: select.value, input, filters } : { agent: select.value, input }, ctx.signal);
      turn.element.dataset.runId = accepted.runId; // the Runs tab lists the run under this id
      turn.setStatus(accepted.status ?? 'QUEUED');
      const run = await pollRun(ctx.client, accepted.runId, {
        intervalMs: 500,
        waitingIntervalMs: WAITING_POLL_MS,
        timeoutMs: RUN_TIMEOUT_MS,
        signal: ctx.signal,
        onUpdate: (r) => {
          turn.update(r);
          if (r.status === 'WAITING_FOR_REVIEW') release();
        },
      });
      turn.showRun(run);
    } catch (err) {
      if (isAbort(err)) return;
      if (err instanceof ApiError && err.status === 401) {
        ctx.onUnauthorized(err.message);
        return;
      }
      turn.showError(ApiError.from(err));
    } finally {
      release();
    }
  });

  queueMicrotask(() => question.focus());

  return h(
    'div',
    { className: 'chat-layout' },
    h('section', { className: 'chat-main', 'aria-label': 'Chat' }, empty, transcript, form),
    panel.element,
  );
}

interface Turn {
  element: HTMLElement;
  setStatus(status: string): void;
  /** A state fetched while polling: status, plus the review link while the run waits for one. */
  update(run: Run): void;
  showRun(run: Run): void;
  showError(error: ApiError): void;
}

function createTurn(input: string, agent: string, scope: string, panel: SourcePanel): Turn {
  const statusSlot = h('span', { className: 'status-slot', 'aria-live': 'polite' }, runStatusBadge('QUEUED'));
  const modelSlot = h('span', { className: 'model-slot' });
  const body = h('div', { className: 'response-body' }, h('p', { className: 'muted pending-text' }, 'Working on it…'));
  const reviewSlot = h('div', { className: 'review-wait', testid: 'run-review-wait', hidden: true });

  const element = h(
    'li',
    { className: 'turn' },
    h('div', { className: 'question-bubble' }, h('span', { className: 'visually-hidden' }, 'You asked: '), input),
    h(
      'article',
      { className: 'response card', 'aria-label': `Answer from ${agent}` },
      h(
        'header',
        { className: 'response-head' },
        h('span', { className: 'agent-name' }, agent),
        scope === ALL_DOCUMENTS ? null : h('span', { className: 'run-scope', testid: 'run-scope', title: 'Only this document was searched' }, `in ${scope}`),
        statusSlot,
        modelSlot,
      ),
      reviewSlot,
      body,
    ),
  );

  let lastStatus = '';
  const setStatus = (status: string) => {
    if (status === lastStatus) return;
    lastStatus = status;
    replaceChildren(statusSlot, runStatusBadge(status));
  };

  let shownReview: string | null | undefined;
  /** Shows the review link while the run waits (reviewId null: waiting, id unknown), hides it otherwise (undefined). */
  const showReview = (reviewId: string | null | undefined) => {
    const waiting = reviewId !== undefined;
    if (reviewId === shownReview) return;
    shownReview = reviewId;
    if (!waiting) {
      reviewSlot.hidden = true;
      replaceChildren(reviewSlot);
      return;
    }
    replaceChildren(
      reviewSlot,
      h('p', null, h('strong', null, 'Waiting for approval. '), 'A tool call of this run needs a human decision; the run resumes once it is approved, edited or rejected.'),
      h(
        'a',
        { className: 'btn btn-ghost', href: reviewId ? reviewHref(reviewId) : '#/reviews', testid: 'run-review-link', 'data-review-id': reviewId },
        reviewId ? 'Open the review' : 'Open the review queue',
      ),
    );
    reviewSlot.hidden = false;
  };

  const update = (run: Run) => {
    setStatus(run.status);
    showReview(run.status === 'WAITING_FOR_REVIEW' ? run.reviewId ?? null : undefined);
  };

  const showError = (error: ApiError) => {
    setStatus('FAILED');
    showReview(undefined);
    replaceChildren(
      body,
      h(
        'div',
        { className: 'run-error', role: 'alert' },
        h('strong', null, 'The question could not be run. '),
        error.message,
        error.code && !error.code.startsWith('http_') ? h('code', { className: 'error-code' }, error.code) : null,
      ),
    );
  };

  const showRun = (run: Run) => {
    update(run);
    const result = renderRunResult(run, panel);
    if (result.model) replaceChildren(modelSlot, result.model);
    replaceChildren(body, result.body);
  };

  return { element, setStatus, update, showRun, showError };
}
