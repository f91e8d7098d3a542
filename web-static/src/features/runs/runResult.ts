// How a run reads once fetched: its status badge, then the model that answered, the failure or halt, the answer,
// its citations (each opens the view's source panel) and the "N steps · X ms" timeline with guardrail verdicts.
// The chat shows it under a question, the Runs tab in a run's detail panel: one renderer, so both read alike.

import type { Run } from '../../api/client';
import { h } from '../../lib/dom';
import { citationsWithSources, formatMs, isOfflineModel, totalStepMs, verdictLabels } from '../chat/citations';
import { sourceName } from '../chat/scope';
import type { SourcePanel } from '../chat/sourcePanel';
import { runStatusLabel } from './runsHelpers';

/** A run's status badge: a spinner while queued or running, a pause mark while waiting for review. */
export function runStatusBadge(status: string, testid = 'run-status'): HTMLElement {
  const pending = status === 'QUEUED' || status === 'RUNNING';
  const waiting = status === 'WAITING_FOR_REVIEW';
  return h(
    'span',
    { className: `badge badge-${status.toLowerCase()}`, testid, 'data-status': status },
    pending ? h('span', { className: 'spinner', 'aria-hidden': 'true' }) : null,
    waiting ? h('span', { className: 'pause-mark', 'aria-hidden': 'true' }) : null,
    runStatusLabel(status),
  );
}

export interface RunResult {
  /** "Model: NAME", when the run has an answer. */
  model: HTMLElement | null;
  /** The failure or halt, answer, citations and steps, in that order. */
  body: Node[];
}

/** The result of a fetched run; a citation chip opens its source in `panel`. */
export function renderRunResult(run: Run, panel: SourcePanel): RunResult {
  const children: Node[] = [];
  const answer = run.answer;

  const model = answer?.model
    ? h(
        'span',
        {
          className: `model-label${isOfflineModel(answer.model) ? ' offline' : ''}`,
          title: isOfflineModel(answer.model)
            ? 'Extractive answer: no language model ran; sentences are quoted from your documents.'
            : 'The language model that wrote this answer.',
        },
        'Model: ',
        h('span', { testid: 'answer-model' }, answer.model),
      )
    : null;

  if (run.status === 'FAILED' || run.status === 'HALTED') {
    children.push(
      h(
        'div',
        { className: `run-error ${run.status === 'HALTED' ? 'halted' : ''}`, role: 'alert' },
        h('strong', null, run.status === 'HALTED' ? 'The run was halted. ' : 'The run failed. '),
        run.error || 'No reason was given.',
      ),
    );
  }

  if (answer) {
    children.push(h('p', { className: 'answer-text', testid: 'answer-text' }, answer.answer));
    if (isOfflineModel(answer.model)) {
      children.push(h('p', { className: 'hint offline-note' }, 'No language model ran: this answer is extracted verbatim from your documents.'));
    }
  } else if (run.status === 'SUCCEEDED') {
    children.push(h('p', { className: 'muted' }, 'The run finished without an answer.'));
  }

  const cited = run.answer ? citationsWithSources(run) : [];
  if (cited.length > 0) {
    children.push(
      h(
        'div',
        { className: 'citations' },
        h('h3', { className: 'eyebrow' }, 'Citations'),
        h(
          'ul',
          { className: 'chips' },
          cited.map(({ citation, source }, i) => {
            const n = i + 1;
            const chip = h(
              'button',
              {
                type: 'button',
                className: 'chip',
                testid: 'citation',
                'aria-expanded': 'false',
                'aria-controls': panel.element.id,
                'data-source': sourceName(source),
                title: `“${citation.quote}”`,
              },
              h('span', { className: 'chip-num' }, String(n)),
              h('span', { className: 'chip-title' }, source?.title || citation.documentId),
            );
            chip.addEventListener('click', () => panel.show(n, citation, source, chip));
            return h('li', null, chip);
          }),
        ),
      ),
    );
  }

  const steps = run.steps ?? [];
  if (steps.length > 0) {
    children.push(
      h(
        'details',
        { className: 'steps', testid: 'run-steps' },
        h('summary', null, `${steps.length} step${steps.length === 1 ? '' : 's'} · ${formatMs(totalStepMs(steps))}`),
        h(
          'ol',
          { className: 'timeline' },
          steps.map((s) =>
            h(
              'li',
              { testid: 'run-step' },
              h('span', { className: 'step-name' }, s.step),
              s.outcome ? h('span', { className: 'step-outcome' }, s.outcome) : null,
              ...verdictLabels(s).map((label) => h('span', { className: 'step-verdict' }, label)),
              typeof s.durationMs === 'number' ? h('span', { className: 'step-ms' }, formatMs(s.durationMs)) : null,
            ),
          ),
        ),
      ),
    );
  }

  return { model, body: children };
}
