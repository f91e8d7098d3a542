// The controls every paged table of the app shares (Runs, Audit): a refresh button, a status line, an error line, a
// note for an empty list and a "Load more" button, with test ids `<prefix>-refresh`, `-status`, `-error`, `-empty`
// and `-more`.

import { h, replaceChildren } from './dom';

export interface PagedListControls {
  refreshButton: HTMLButtonElement;
  listStatus: HTMLParagraphElement;
  listError: HTMLParagraphElement;
  emptyList: HTMLParagraphElement;
  moreButton: HTMLButtonElement;
}

/** A paged table's controls; `onRefresh` reads the first page again, `onMore` the next one. */
export function pagedListControls(prefix: string, onRefresh: () => void, onMore: () => void): PagedListControls {
  const refreshButton = h('button', { type: 'button', className: 'btn btn-ghost', testid: `${prefix}-refresh` }, 'Refresh');
  refreshButton.addEventListener('click', onRefresh);
  const moreButton = h('button', { type: 'button', className: 'btn btn-ghost', testid: `${prefix}-more`, hidden: true }, 'Load more');
  moreButton.addEventListener('click', onMore);
  return {
    refreshButton,
    listStatus: h('p', { className: 'hint', role: 'status', testid: `${prefix}-status` }),
    listError: h('p', { className: 'form-error', role: 'alert', testid: `${prefix}-error`, hidden: true }),
    emptyList: h('p', { className: 'muted empty-list', testid: `${prefix}-empty`, hidden: true }),
    moreButton,
  };
}

/** A paged table (hidden until it has rows): its caption for screen readers, one column header per entry of `columns`. */
export function pagedTable(prefix: string, caption: string, columns: (string | Node)[]): { table: HTMLTableElement; tbody: HTMLTableSectionElement } {
  const tbody = h('tbody');
  const table = h(
    'table',
    { className: `doc-table ${prefix}-table`, testid: `${prefix}-table`, hidden: true },
    h('caption', { className: 'visually-hidden' }, caption),
    h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))),
    tbody,
  );
  return { table, tbody };
}

/** Shows the listed rows: the table when there are some, else the empty note; "Load more" while a next page exists. */
export function showRows(
  c: PagedListControls,
  t: { table: HTMLTableElement; tbody: HTMLTableSectionElement },
  rows: HTMLTableRowElement[],
  page: { loaded: boolean; nextCursor: string | null; emptyText: string },
): void {
  replaceChildren(t.tbody, rows);
  t.table.hidden = rows.length === 0;
  c.emptyList.hidden = !page.loaded || rows.length > 0;
  c.emptyList.textContent = page.emptyText;
  c.moreButton.hidden = !page.loaded || page.nextCursor === null;
}

/** While a page is read: both buttons off, the status line says so. */
export function startLoading(c: PagedListControls): void {
  c.refreshButton.disabled = true;
  c.moreButton.disabled = true;
  c.listStatus.textContent = 'Loading…';
}

/** A page arrived: the error line goes, the status line counts what is shown (`noun` singular, plural with an s). */
export function pageLoaded(c: PagedListControls, count: number, noun: string, more: boolean): void {
  c.listError.hidden = true;
  c.listStatus.textContent = `${count} ${noun}${count === 1 ? '' : 's'} shown${more ? '; older ones follow' : ''}.`;
}

/** A page could not be read: the status line empties and the error line says `message`. */
export function pageFailed(c: PagedListControls, message: (Node | string)[] | string): void {
  c.listStatus.textContent = '';
  replaceChildren(c.listError, message);
  c.listError.hidden = false;
}

/** The read ended (and no newer one started): the buttons work again. */
export function doneLoading(c: PagedListControls): void {
  c.refreshButton.disabled = false;
  c.moreButton.disabled = false;
}
