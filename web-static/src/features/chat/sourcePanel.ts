import type { Citation, Source } from '../../api/client';
import { h, replaceChildren } from '../../lib/dom';
import { highlightSegments, locateQuote } from './citations';

export interface SourcePanel {
  element: HTMLElement;
  show(index: number, citation: Citation, source: Source | undefined, opener: HTMLElement): void;
  close(): void;
}

export const SOURCE_PANEL_ID = 'source-panel';

/**
 * The side panel that shows a cited chunk with the quote highlighted. One per view: `id` (also its test id) must be
 * unique on the page; the chat's is {@link SOURCE_PANEL_ID}.
 */
export function createSourcePanel(id: string = SOURCE_PANEL_ID): SourcePanel {
  const title = h('h2', { id: `${id}-title`, tabindex: '-1' });
  const meta = h('dl', { className: 'source-meta' });
  const body = h('div', { className: 'source-text', testid: 'source-text' });
  const note = h('p', { className: 'hint', hidden: true });
  const closeButton = h('button', { type: 'button', className: 'btn btn-ghost icon-btn', 'aria-label': 'Close source' }, '×');

  const element = h(
    'aside',
    {
      id,
      className: 'source-panel',
      'aria-labelledby': `${id}-title`,
      testid: id,
      hidden: true,
    },
    h('div', { className: 'source-panel-head' }, h('p', { className: 'eyebrow' }, 'Source'), closeButton),
    title,
    meta,
    note,
    body,
  );

  let opener: HTMLElement | null = null;

  const close = () => {
    if (element.hidden) return;
    element.hidden = true;
    opener?.setAttribute('aria-expanded', 'false');
    opener?.classList.remove('active');
    opener?.focus();
    opener = null;
  };

  closeButton.addEventListener('click', close);
  element.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') close();
  });

  const show = (index: number, citation: Citation, source: Source | undefined, from: HTMLElement) => {
    if (opener && opener !== from) {
      opener.setAttribute('aria-expanded', 'false');
      opener.classList.remove('active');
    }
    opener = from;
    from.setAttribute('aria-expanded', 'true');
    from.classList.add('active');

    title.textContent = `[${index}] ${source?.title || citation.documentId}`;
    const rows: [string, string][] = [];
    if (source?.section) rows.push(['Section', source.section]);
    rows.push(['Document', citation.documentId]);
    rows.push(['Chunk', citation.chunkId]);
    if (typeof source?.score === 'number') rows.push(['Score', source.score.toFixed(3)]);
    replaceChildren(meta, rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]));

    if (!source) {
      note.hidden = false;
      note.textContent = 'This run did not include the text of this source. The quoted passage is:';
      replaceChildren(body, h('mark', null, citation.quote));
    } else {
      const found = locateQuote(source.text, citation.quote) !== null;
      note.hidden = found;
      note.textContent = found ? '' : `The quote was not found verbatim in this chunk: “${citation.quote}”`;
      const segments = highlightSegments(source.text, citation.quote);
      replaceChildren(
        body,
        segments.map((s) => (s.mark ? h('mark', null, s.text) : document.createTextNode(s.text))),
      );
    }

    element.hidden = false;
    title.focus();
    body.querySelector('mark')?.scrollIntoView({ block: 'nearest' });
  };

  return { element, show, close };
}
