// Pure helpers for the documents list.

import type { ApiError, DocumentAccepted, StewardDocument } from '../../api/client';

/** The list keeps refreshing while any document is still being indexed. */
export function hasPending(documents: readonly Pick<StewardDocument, 'status'>[]): boolean {
  return documents.some((d) => d.status === 'QUEUED');
}

export function statusLabel(status: string): string {
  switch (status) {
    case 'QUEUED':
      return 'Indexing';
    case 'INDEXED':
      return 'Indexed';
    case 'FAILED':
      return 'Failed';
    default:
      return status;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/**
 * Merges a freshly listed page with uploads the list does not show yet (eventual consistency),
 * newest first as the API sorts them.
 */
export function mergeDocuments(listed: StewardDocument[], justUploaded: StewardDocument[]): StewardDocument[] {
  const known = new Set(listed.map((d) => d.documentId));
  return [...justUploaded.filter((d) => !known.has(d.documentId)), ...listed];
}

/** What the upload log says of an accepted upload: a badge (its status and label) and the sentence after the name. */
export interface UploadNote {
  status: DocumentAccepted['status'];
  label: string;
  text: string;
}

/**
 * An unchanged upload (the same bytes under the same name, already indexed) stored nothing and will not be indexed
 * again: the log must say so rather than "being indexed".
 */
export function uploadNote(accepted: Pick<DocumentAccepted, 'status' | 'unchanged'>): UploadNote {
  if (accepted.unchanged) return { status: accepted.status, label: 'Unchanged', text: ' is already indexed with the same content.' };
  return { status: 'QUEUED', label: 'Queued', text: ' was uploaded and is being indexed.' };
}

/**
 * What the list's error line says when deleting `name` failed. A 404 means the document is already gone (deleted
 * elsewhere): the row goes and the line says so.
 */
export function deleteErrorMessage(name: string, e: Pick<ApiError, 'status' | 'code' | 'message'>): string {
  if (e.status === 404) return `${name} is no longer in the knowledge base: it was already deleted.`;
  if (e.status === 403) return `Your key may not delete documents (${e.message}).`;
  if (e.code === 'storage_unavailable') return `Could not delete ${name}: the file store did not answer, so nothing was deleted. Try again.`;
  return `Could not delete ${name}: ${e.message}`;
}
