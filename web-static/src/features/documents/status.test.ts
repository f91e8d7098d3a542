import { describe, expect, it } from 'vitest';
import type { StewardDocument } from '../../api/client';
import { ApiError } from '../../api/client';
import { deleteErrorMessage, formatBytes, hasPending, mergeDocuments, statusLabel, uploadNote } from './status';

const doc = (documentId: string, status: StewardDocument['status']): StewardDocument => ({ documentId, name: `${documentId}.md`, status });

describe('documents helpers', () => {
  it('keeps refreshing only while something is QUEUED', () => {
    expect(hasPending([doc('a', 'INDEXED'), doc('b', 'QUEUED')])).toBe(true);
    expect(hasPending([doc('a', 'INDEXED'), doc('b', 'FAILED')])).toBe(false);
    expect(hasPending([])).toBe(false);
  });

  it('labels statuses', () => {
    expect(['QUEUED', 'INDEXED', 'FAILED', 'OTHER'].map(statusLabel)).toEqual(['Indexing', 'Indexed', 'Failed', 'OTHER']);
  });

  it('puts uploads the list does not show yet first, without duplicates', () => {
    const merged = mergeDocuments([doc('b', 'INDEXED'), doc('a', 'INDEXED')], [doc('c', 'QUEUED'), doc('b', 'QUEUED')]);
    expect(merged.map((d) => `${d.documentId}:${d.status}`)).toEqual(['c:QUEUED', 'b:INDEXED', 'a:INDEXED']);
  });

  it('says an unchanged upload is already indexed, not being indexed', () => {
    expect(uploadNote({ status: 'QUEUED' })).toEqual({ status: 'QUEUED', label: 'Queued', text: ' was uploaded and is being indexed.' });
    expect(uploadNote({ status: 'INDEXED', unchanged: true })).toEqual({ status: 'INDEXED', label: 'Unchanged', text: ' is already indexed with the same content.' });
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
  });

  it('says why a delete failed: gone already, not allowed, storage down, anything else with the server\'s words', () => {
    const said = [
      new ApiError(404, 'not_found', 'document d1 not found'),
      new ApiError(403, 'forbidden', 'role viewer cannot delete documents'),
      new ApiError(503, 'storage_unavailable', 'the document could not be deleted; try again'),
      new ApiError(0, 'network_error', 'Could not reach the Steward API.'),
    ].map((e) => deleteErrorMessage('refund-policy.md', e));
    expect(said).toEqual([
      'refund-policy.md is no longer in the knowledge base: it was already deleted.',
      'Your key may not delete documents (role viewer cannot delete documents).',
      'Could not delete refund-policy.md: the file store did not answer, so nothing was deleted. Try again.',
      'Could not delete refund-policy.md: Could not reach the Steward API.',
    ]);
  });
});
