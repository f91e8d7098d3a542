import { ApiError, isAbort, type StewardClient, type StewardDocument } from '../../api/client';
import { errorLine, formatTime, h, replaceChildren, uid } from '../../lib/dom';
import { acceptList, uploadHint } from './formats';
import { deleteErrorMessage, formatBytes, hasPending, mergeDocuments, statusLabel, uploadNote } from './status';

const REFRESH_MS = 2000;

export interface DocumentsContext {
  client: StewardClient;
  signal: AbortSignal;
  onUnauthorized: (message: string) => void;
}

export interface DocumentsView {
  element: HTMLElement;
  /** Called when the tab becomes visible: loads the list and resumes auto-refresh. */
  onShow(): void;
  onHide(): void;
}

export function renderDocuments(ctx: DocumentsContext): DocumentsView {
  let documents: StewardDocument[] = [];
  let justUploaded: StewardDocument[] = [];
  let visible = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loading = false;
  /** The document whose Delete… was pressed: its confirm row shows under it. */
  let confirming: string | null = null;
  /** Documents whose DELETE is under way: their buttons are disabled. */
  const deleting = new Set<string>();
  /** Documents deleted from this tab: a list fetched before the DELETE went through must not bring them back. */
  const removed = new Set<string>();

  // --- upload ---
  const inputId = uid('upload');
  const fileInput = h('input', {
    id: inputId,
    type: 'file',
    multiple: true,
    accept: acceptList(),
    className: 'file-input',
    testid: 'upload-input',
    'aria-describedby': `${inputId}-hint`,
  });
  const uploadLog = h('ul', { className: 'upload-log', 'aria-live': 'polite' });
  const uploadHintLine = h('span', { className: 'hint', id: `${inputId}-hint`, testid: 'upload-hint' }, uploadHint());
  const dropZone = h(
    'label',
    { for: inputId, className: 'drop-zone' },
    h('span', { className: 'drop-title' }, 'Choose files or drop them here'),
    uploadHintLine,
  );
  for (const type of ['dragenter', 'dragover']) {
    dropZone.addEventListener(type, (e) => {
      e.preventDefault();
      dropZone.classList.add('dragging');
    });
  }
  for (const type of ['dragleave', 'drop']) {
    dropZone.addEventListener(type, () => dropZone.classList.remove('dragging'));
  }
  dropZone.addEventListener('drop', (e) => {
    e.preventDefault();
    const files = (e as DragEvent).dataTransfer?.files;
    if (files && files.length) void upload(Array.from(files));
  });
  fileInput.addEventListener('change', () => {
    const files = Array.from(fileInput.files ?? []);
    fileInput.value = '';
    if (files.length) void upload(files);
  });

  // --- list ---
  const refreshButton = h('button', { type: 'button', className: 'btn btn-ghost' }, 'Refresh');
  refreshButton.addEventListener('click', () => void load());
  const liveNote = h('span', { className: 'hint', 'aria-live': 'polite' });
  const listError = h('p', { className: 'form-error', role: 'alert', testid: 'documents-error', hidden: true });
  const listStatus = h('p', { className: 'hint', role: 'status', testid: 'documents-status' });
  /** What the error line is about: a later successful refresh clears a load error, not a failed delete's. */
  let errorOf: 'load' | 'delete' | null = null;
  const showError = (of: 'load' | 'delete', content: (Node | string)[]) => {
    errorOf = of;
    replaceChildren(listError, content);
    listError.hidden = false;
  };
  const hideError = () => {
    errorOf = null;
    listError.hidden = true;
  };
  const tbody = h('tbody');
  const table = h(
    'table',
    { className: 'doc-table' },
    h('caption', { className: 'visually-hidden' }, 'Documents in your knowledge base, newest first'),
    h(
      'thead',
      null,
      h('tr', null, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Chunks'), h('th', { scope: 'col' }, 'Updated'), h('th', { scope: 'col' }, h('span', { className: 'visually-hidden' }, 'Actions'))),
    ),
    tbody,
  );
  const emptyList = h('p', { className: 'muted empty-list' }, 'No documents yet. Upload one to start building the knowledge base.');

  const element = h(
    'div',
    { className: 'documents-layout' },
    h(
      'section',
      { className: 'card', 'aria-labelledby': 'upload-title' },
      h('h2', { id: 'upload-title' }, 'Upload'),
      fileInput,
      dropZone,
      uploadLog,
    ),
    h(
      'section',
      { className: 'card', 'aria-labelledby': 'docs-title' },
      h('div', { className: 'section-head' }, h('h2', { id: 'docs-title' }, 'Documents'), liveNote, refreshButton),
      listStatus,
      listError,
      table,
      emptyList,
    ),
  );

  function renderList(): void {
    const rows = mergeDocuments(documents, justUploaded);
    table.hidden = rows.length === 0;
    emptyList.hidden = rows.length > 0;
    if (confirming && !rows.some((d) => d.documentId === confirming)) confirming = null;
    // The rows are rebuilt (every 2 s while indexing): a focused button in them keeps the focus.
    const active = document.activeElement;
    const focused = active instanceof HTMLElement && tbody.contains(active) ? { row: active.closest('tr')?.dataset.documentId, testid: active.dataset.testid } : null;
    replaceChildren(
      tbody,
      rows.flatMap((d) => (d.documentId === confirming ? [documentRow(d), confirmRow(d)] : [documentRow(d)])),
    );
    if (focused?.row && focused.testid) focusInRow(focused.row, focused.testid);
    liveNote.textContent = hasPending(rows) ? 'Indexing… refreshing automatically' : '';
  }

  function documentRow(d: StewardDocument): HTMLTableRowElement {
    const busy = deleting.has(d.documentId);
    const deleteButton = h(
      'button',
      { type: 'button', className: 'btn btn-ghost btn-small', testid: 'document-delete', 'aria-label': `Delete ${d.name}…`, disabled: busy },
      'Delete…',
    );
    deleteButton.addEventListener('click', () => askDelete(d));
    return h(
      'tr',
      { testid: 'document-row', 'data-status': d.status, 'data-document-id': d.documentId, 'aria-busy': busy ? 'true' : null },
      h('th', { scope: 'row', className: 'doc-name' }, d.name),
      h(
        'td',
        null,
        h(
          'span',
          { className: `badge badge-${d.status.toLowerCase()}`, title: d.status },
          d.status === 'QUEUED' ? h('span', { className: 'spinner', 'aria-hidden': 'true' }) : null,
          statusLabel(d.status),
        ),
        d.status === 'FAILED' && d.reason ? h('p', { className: 'doc-reason' }, d.reason) : null,
      ),
      h('td', { className: 'num' }, typeof d.chunks === 'number' ? String(d.chunks) : '—'),
      h('td', null, d.updatedAt || d.createdAt ? h('time', { datetime: d.updatedAt ?? d.createdAt ?? '' }, formatTime(d.updatedAt ?? d.createdAt)) : '—'),
      h('td', { className: 'doc-actions' }, deleteButton),
    );
  }

  /** The question under a row whose Delete… was pressed, as the Integrations tab asks before removing. */
  function confirmRow(d: StewardDocument): HTMLTableRowElement {
    const busy = deleting.has(d.documentId);
    const yes = h('button', { type: 'button', className: 'btn btn-danger btn-small', testid: 'document-confirm-delete', disabled: busy }, 'Delete');
    const no = h('button', { type: 'button', className: 'btn btn-ghost btn-small', testid: 'document-keep', disabled: busy }, 'Keep it');
    yes.addEventListener('click', () => void remove(d));
    no.addEventListener('click', () => {
      confirming = null;
      renderList();
      focusInRow(d.documentId, 'document-delete');
    });
    return h(
      'tr',
      { className: 'doc-confirm', 'data-document-id': d.documentId },
      h(
        'td',
        { colspan: 5 },
        h(
          'div',
          { className: 'confirm-box', role: 'group', 'aria-label': `Delete ${d.name}`, testid: 'document-confirm' },
          h('p', null, 'Delete ', h('strong', null, d.name), '? Its file and its chunks leave the knowledge base; this cannot be undone.'),
          h('div', { className: 'button-row' }, yes, no),
        ),
      ),
    );
  }

  /** Focuses the element with `testid` in the row(s) of `documentId`; answers whether there was one. */
  function focusInRow(documentId: string, testid: string): boolean {
    const target = tbody.querySelector<HTMLElement>(`tr[data-document-id="${CSS.escape(documentId)}"] [data-testid="${testid}"]`);
    target?.focus();
    return !!target;
  }

  function askDelete(d: StewardDocument): void {
    confirming = d.documentId;
    hideError();
    listStatus.textContent = '';
    renderList();
    focusInRow(d.documentId, 'document-keep');
  }

  /** Drops a deleted document from the tab, now and from any list fetched before the deletion. */
  function forget(documentId: string): void {
    removed.add(documentId);
    documents = documents.filter((x) => x.documentId !== documentId);
    justUploaded = justUploaded.filter((x) => x.documentId !== documentId);
  }

  async function remove(d: StewardDocument): Promise<void> {
    const id = d.documentId;
    if (deleting.has(id)) return;
    // Where focus goes once the row is gone: the next row's Delete…, else the Refresh button.
    const rows = mergeDocuments(documents, justUploaded);
    const next = rows[rows.findIndex((x) => x.documentId === id) + 1];
    deleting.add(id);
    hideError();
    listStatus.textContent = '';
    renderList();
    let gone = false;
    try {
      await ctx.client.deleteDocument(id, ctx.signal);
      gone = true;
      listStatus.textContent = `${d.name} deleted.`;
    } catch (e) {
      if (isAbort(e)) return;
      if (e instanceof ApiError && e.status === 401) return ctx.onUnauthorized(e.message);
      const err = ApiError.from(e);
      gone = err.status === 404;
      showError('delete', errorLine(deleteErrorMessage(d.name, err), err.code));
    } finally {
      deleting.delete(id);
    }
    if (gone) {
      forget(id);
      confirming = null;
    }
    renderList();
    if (!gone) focusInRow(id, 'document-confirm-delete');
    else if (!(next && focusInRow(next.documentId, 'document-delete'))) refreshButton.focus();
    schedule();
  }

  function schedule(): void {
    clearTimeout(timer);
    timer = undefined;
    if (visible && !ctx.signal.aborted && hasPending(mergeDocuments(documents, justUploaded))) {
      timer = setTimeout(() => void load(), REFRESH_MS);
    }
  }

  async function load(): Promise<void> {
    if (loading) return;
    loading = true;
    refreshButton.disabled = true;
    try {
      const list = await ctx.client.listDocuments(ctx.signal);
      // The deployment's own limit (MAX_UPLOAD_BYTES), once the API has said it.
      if (typeof list.maxUploadBytes === 'number' && list.maxUploadBytes > 0) {
        uploadHintLine.textContent = uploadHint(undefined, list.maxUploadBytes);
      }
      documents = (list.documents ?? []).filter((d) => !removed.has(d.documentId));
      const listed = new Set(documents.map((d) => d.documentId));
      justUploaded = justUploaded.filter((d) => !listed.has(d.documentId));
      if (errorOf === 'load') hideError();
      renderList();
    } catch (e) {
      if (isAbort(e)) return;
      if (e instanceof ApiError && e.status === 401) return ctx.onUnauthorized(e.message);
      showError('load', [`Could not load documents: ${e instanceof ApiError ? e.message : String(e)}`]);
    } finally {
      loading = false;
      refreshButton.disabled = false;
      schedule();
    }
  }

  async function upload(files: File[]): Promise<void> {
    for (const file of files) {
      const entry = h('li', { className: 'upload-entry pending' }, h('span', { className: 'spinner', 'aria-hidden': 'true' }), `Uploading ${file.name} (${formatBytes(file.size)})…`);
      uploadLog.prepend(entry);
      try {
        const accepted = await ctx.client.uploadDocument(file.name, file, ctx.signal);
        const note = uploadNote(accepted);
        entry.className = 'upload-entry ok';
        replaceChildren(entry, h('span', { className: `badge badge-${note.status.toLowerCase()}` }, note.label), h('strong', null, file.name), note.text);
        justUploaded = [{ documentId: accepted.documentId, name: accepted.name ?? file.name, status: note.status }, ...justUploaded];
        renderList();
      } catch (e) {
        if (isAbort(e)) return;
        if (e instanceof ApiError && e.status === 401) return ctx.onUnauthorized(e.message);
        entry.className = 'upload-entry error';
        entry.setAttribute('role', 'alert');
        const err = ApiError.from(e);
        replaceChildren(
          entry,
          h('span', { className: 'badge badge-failed' }, 'Rejected'),
          h('strong', null, file.name),
          `: ${err.message}`,
          err.code && !err.code.startsWith('http_') ? h('code', { className: 'error-code' }, err.code) : null,
        );
      }
    }
    await load();
  }

  return {
    element,
    onShow() {
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
