// The Usage tab: model tokens, model calls and guardrail verdicts of the tenant (or one agent) over the last 7, 30
// or 90 UTC days, as totals, a per-day bar chart of tokens (plain DOM and CSS) and a per-day table.

import { ApiError, isAbort, USAGE_PERIODS, type Agent, type StewardClient, type UsageDay, type UsageReport } from '../../api/client';
import { errorLine, h, replaceChildren, uid } from '../../lib/dom';
import {
  barPercent,
  budgetSummary,
  chartCeiling,
  fillDays,
  formatCompact,
  formatCount,
  formatDay,
  stageSummary,
  usageTotals,
  utcDay,
  verdictCount,
  verdictsByKind,
  verdictSummary,
} from './usageHelpers';

export interface UsageContext {
  client: StewardClient;
  /** The tenant's agents (`GET /v1/agents`, read at sign-in). */
  agents: Agent[];
  signal: AbortSignal;
  onUnauthorized: (message: string) => void;
}

export interface UsageView {
  element: HTMLElement;
  /** Called when the tab becomes visible: loads the chosen period, so runs made meanwhile show up. */
  onShow(): void;
}

interface Stat {
  element: HTMLElement;
  value: HTMLElement;
  /** A line under the number; hidden while empty. */
  detail: HTMLElement;
}

/** A total, with its exact number in `data-value` (what the browser test compares with the API). */
function stat(label: string, testid: string): Stat {
  const value = h('dd', { className: 'usage-stat-value', testid, 'data-value': '0' }, '0');
  const detail = h('dd', { className: 'usage-stat-detail hint' });
  return { element: h('div', { className: 'usage-stat' }, h('dt', null, label), value, detail), value, detail };
}

function setStat(s: Stat, n: number): void {
  s.value.dataset.value = String(n);
  s.value.textContent = formatCount(n);
}

export function renderUsage(ctx: UsageContext): UsageView {
  let days: number = USAGE_PERIODS[0];
  let agent = '';
  let latest = 0;

  // --- controls ---
  const periodId = uid('usage-period');
  const periodSelect = h('select', { id: periodId, className: 'compact', testid: 'usage-period' });
  for (const n of USAGE_PERIODS) periodSelect.append(h('option', { value: String(n) }, `Last ${n} days`));
  periodSelect.value = String(days);
  periodSelect.addEventListener('change', () => {
    days = Number(periodSelect.value);
    void load();
  });
  const agentId = uid('usage-agent');
  const agentSelect = h('select', { id: agentId, className: 'compact', testid: 'usage-agent' }, h('option', { value: '' }, 'All agents'));
  for (const a of ctx.agents) agentSelect.append(h('option', { value: a.name }, a.name));
  agentSelect.addEventListener('change', () => {
    agent = agentSelect.value;
    void load();
  });
  const refreshButton = h('button', { type: 'button', className: 'btn btn-ghost' }, 'Refresh');
  refreshButton.addEventListener('click', () => void load());
  const liveNote = h('span', { className: 'hint', 'aria-live': 'polite' });
  const error = h('p', { className: 'form-error', role: 'alert', testid: 'usage-error', hidden: true });

  // --- totals ---
  const tokensIn = stat('Tokens in', 'usage-total-tokens-in');
  const tokensOut = stat('Tokens out', 'usage-total-tokens-out');
  const modelCalls = stat('Model calls', 'usage-total-model-calls');
  const verdicts = stat('Guardrail verdicts', 'usage-total-verdicts');
  const budget = stat('Daily budget', 'usage-daily-budget');
  const verdictList = h('ul', { className: 'usage-verdicts', 'aria-label': 'Guardrail verdicts by kind' });

  // --- chart and table ---
  const chart = h('div', { className: 'usage-chart', testid: 'usage-chart', role: 'img' });
  const axisTop = h('span', { className: 'usage-axis-top' });
  const firstDay = h('span');
  const lastDay = h('span');
  const tbody = h('tbody');

  const data = h(
    'div',
    { className: 'usage-data', testid: 'usage-data', hidden: true },
    h(
      'section',
      { className: 'card', 'aria-labelledby': 'usage-totals-title' },
      h('h2', { id: 'usage-totals-title' }, 'Totals'),
      h('dl', { className: 'usage-stats' }, tokensIn.element, tokensOut.element, modelCalls.element, verdicts.element, budget.element),
      verdictList,
    ),
    h(
      'section',
      { className: 'card', 'aria-labelledby': 'usage-chart-title' },
      h(
        'div',
        { className: 'section-head' },
        h('h2', { id: 'usage-chart-title' }, 'Tokens per day'),
        h(
          'span',
          { className: 'usage-legend hint', 'aria-hidden': 'true' },
          h('span', { className: 'usage-swatch usage-in' }),
          'in',
          h('span', { className: 'usage-swatch usage-out' }),
          'out',
        ),
      ),
      h(
        'div',
        { className: 'usage-plot' },
        h('div', { className: 'usage-axis hint', 'aria-hidden': 'true' }, axisTop, h('span', null, '0')),
        chart,
        h('div', { className: 'usage-days hint', 'aria-hidden': 'true' }, firstDay, lastDay),
      ),
    ),
    h(
      'section',
      { className: 'card', 'aria-labelledby': 'usage-table-title' },
      h('h2', { id: 'usage-table-title' }, 'Per day'),
      h(
        'table',
        { className: 'doc-table usage-table' },
        h('caption', { className: 'visually-hidden' }, 'Usage per UTC day, newest first'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'Day (UTC)'),
            h('th', { scope: 'col', className: 'num' }, 'Tokens in'),
            h('th', { scope: 'col', className: 'num' }, 'Tokens out'),
            h('th', { scope: 'col', className: 'num' }, 'Model calls'),
            h('th', { scope: 'col' }, 'Guardrail verdicts'),
          ),
        ),
        tbody,
      ),
    ),
  );

  const element = h(
    'div',
    { className: 'usage-layout' },
    h(
      'section',
      { className: 'card', 'aria-labelledby': 'usage-title' },
      h(
        'div',
        { className: 'section-head usage-controls' },
        h('h2', { id: 'usage-title' }, 'Usage'),
        h('label', { for: periodId, className: 'inline-label' }, 'Period', periodSelect),
        h('label', { for: agentId, className: 'inline-label' }, 'Agent', agentSelect),
        refreshButton,
      ),
      h('p', { className: 'hint usage-hint' }, 'Model tokens and calls, and guardrail verdicts other than allow, per UTC day. ', liveNote),
      error,
    ),
    data,
  );

  function renderChart(rows: UsageDay[]): void {
    const oldestFirst = [...rows].reverse();
    const ceiling = chartCeiling(Math.max(0, ...oldestFirst.map((d) => d.tokensIn + d.tokensOut)));
    axisTop.textContent = formatCompact(ceiling);
    firstDay.textContent = oldestFirst.length ? formatDay(oldestFirst[0]!.day) : '';
    lastDay.textContent = oldestFirst.length > 1 ? formatDay(oldestFirst.at(-1)!.day) : '';
    chart.dataset.days = String(rows.length);
    chart.setAttribute('aria-label', `Tokens per day over the last ${rows.length} days, oldest first; the table below has the numbers.`);
    replaceChildren(
      chart,
      oldestFirst.map((d) => {
        const barIn = h('span', { className: 'usage-bar-part usage-in' });
        const barOut = h('span', { className: 'usage-bar-part usage-out' });
        // CSSOM, not a style attribute: stays within a strict Content-Security-Policy.
        barIn.style.height = `${barPercent(d.tokensIn, ceiling)}%`;
        barOut.style.height = `${barPercent(d.tokensOut, ceiling)}%`;
        const title = `${formatDay(d.day)}: ${formatCount(d.tokensIn)} in, ${formatCount(d.tokensOut)} out, ${formatCount(d.modelCalls)} model calls`;
        return h('span', { className: 'usage-bar', testid: 'usage-bar', 'data-day': d.day, title }, barOut, barIn);
      }),
    );
  }

  function render(rows: UsageDay[]): void {
    const totals = usageTotals(rows);
    setStat(tokensIn, totals.tokensIn);
    setStat(tokensOut, totals.tokensOut);
    setStat(modelCalls, totals.modelCalls);
    setStat(verdicts, verdictCount(totals.verdicts));
    const active = rows.filter((d) => d.modelCalls > 0).length;
    modelCalls.detail.textContent = `on ${formatCount(active)} of ${formatCount(rows.length)} days`;
    const kinds = verdictsByKind(totals.verdicts);
    verdicts.detail.textContent = kinds.length ? '' : 'none in this period';
    replaceChildren(
      verdictList,
      kinds.map((k) =>
        h(
          'li',
          { testid: 'usage-verdict', 'data-verdict': k.verdict, 'data-value': String(k.count) },
          h('span', { className: 'badge' }, k.verdict),
          h('strong', null, formatCount(k.count)),
          h('span', { className: 'hint' }, stageSummary(k)),
        ),
      ),
    );
    renderChart(rows);
    replaceChildren(
      tbody,
      rows.map((d) =>
        h(
          'tr',
          { testid: 'usage-row', 'data-day': d.day, className: d.modelCalls === 0 && verdictCount(d.guardrailVerdicts) === 0 ? 'usage-idle' : null },
          h('th', { scope: 'row' }, h('time', { datetime: d.day }, formatDay(d.day))),
          h('td', { className: 'num' }, formatCount(d.tokensIn)),
          h('td', { className: 'num' }, formatCount(d.tokensOut)),
          h('td', { className: 'num' }, formatCount(d.modelCalls)),
          h('td', null, verdictSummary(d.guardrailVerdicts) || '—'),
        ),
      ),
    );
  }

  /** The tenant's budget, and how much of it today took: the whole tenant's, so only without an agent filter. */
  function renderBudget(report: UsageReport, rows: UsageDay[]): void {
    budget.element.hidden = typeof report.dailyTokens !== 'number';
    if (typeof report.dailyTokens !== 'number') return;
    setStat(budget, report.dailyTokens);
    const today = rows[0]!;
    budget.detail.textContent = report.agent
      ? 'tokens a day for all agents together'
      : budgetSummary(today.tokensIn + today.tokensOut, report.dailyTokens);
  }

  async function load(): Promise<void> {
    const request = ++latest;
    const forDays = days;
    const forAgent = agent;
    liveNote.textContent = 'Loading…';
    element.setAttribute('aria-busy', 'true');
    try {
      const report = await ctx.client.getUsage(forDays, forAgent || null, ctx.signal);
      if (request !== latest) return; // a newer choice is loading
      const rows = fillDays(report.days, forDays, utcDay(new Date()));
      render(rows);
      renderBudget(report, rows);
      // What the numbers are for, so a test can wait for a choice to have loaded.
      data.dataset.days = String(forDays);
      data.dataset.agent = forAgent;
      error.hidden = true;
      data.hidden = false;
      liveNote.textContent = `${forAgent ? `Agent ${forAgent}` : 'All agents'}, ${formatDay(rows.at(-1)!.day)} to ${formatDay(rows[0]!.day)}.`;
    } catch (e) {
      if (isAbort(e) || request !== latest) return;
      if (e instanceof ApiError && e.status === 401) return ctx.onUnauthorized(e.message);
      const err = ApiError.from(e);
      replaceChildren(error, errorLine(`Could not load usage: ${err.message}`, err.code));
      error.hidden = false;
      data.hidden = true;
      liveNote.textContent = '';
    } finally {
      if (request === latest) element.removeAttribute('aria-busy');
    }
  }

  return {
    element,
    onShow() {
      void load();
    },
  };
}
