import { describe, expect, it } from 'vitest';
import type { StewardDocument } from '../../api/client';
import { formatBytes, hasPending, mergeDocuments, statusLabel, uploadNote } from './status';

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
});
