import { ApiError, isAbort, type StewardClient, type StewardDocument } from '../../api/client';
import { formatTime, h, replaceChildren, uid } from '../../lib/dom';
import { acceptList, uploadHint } from './formats';
import { formatBytes, hasPending, mergeDocuments, statusLabel, uploadNote } from './status';

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
  const dropZone = h(
    'label',
    { for: inputId, className: 'drop-zone' },
    h('span', { className: 'drop-title' }, 'Choose files or drop them here'),
    h('span', { className: 'hint', id: `${inputId}-hint` }, uploadHint()),
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
  const listError = h('p', { className: 'form-error', role: 'alert', hidden: true });
  const tbody = h('tbody');
  const table = h(
    'table',
    { className: 'doc-table' },
    h('caption', { className: 'visually-hidden' }, 'Documents in your knowledge base, newest first'),
    h(
      'thead',
      null,
      h('tr', null, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Chunks'), h('th', { scope: 'col' }, 'Updated')),
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
      listError,
      table,
      emptyList,
    ),
  );

  function renderList(): void {
    const rows = mergeDocuments(documents, justUploaded);
    table.hidden = rows.length === 0;
    emptyList.hidden = rows.length > 0;
    replaceChildren(
      tbody,
      rows.map((d) =>
        h(
          'tr',
          { testid: 'document-row', 'data-status': d.status, 'data-document-id': d.documentId },
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
        ),
      ),
    );
    liveNote.textContent = hasPending(rows) ? 'Indexing… refreshing automatically' : '';
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
      documents = list.documents ?? [];
      const listed = new Set(documents.map((d) => d.documentId));
      justUploaded = justUploaded.filter((d) => !listed.has(d.documentId));
      listError.hidden = true;
      renderList();
    } catch (e) {
      if (isAbort(e)) return;
      if (e instanceof ApiError && e.status === 401) return ctx.onUnauthorized(e.message);
      listError.hidden = false;
      listError.textContent = `Could not load documents: ${e instanceof ApiError ? e.message : String(e)}`;
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
