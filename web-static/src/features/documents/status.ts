// Pure helpers for the documents list.

import type { StewardDocument } from '../../api/client';

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
