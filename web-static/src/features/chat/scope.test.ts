import { describe, expect, it } from 'vitest';
import type { Source, StewardDocument } from '../../api/client';
import { ALL_DOCUMENTS, scopeChoices, scopeFilters, sourceName } from './scope';

const doc = (name: string, status: StewardDocument['status']): StewardDocument => ({ documentId: `doc_${name}`, name, status });

describe('scopeChoices', () => {
  it('offers indexed documents only, each once, alphabetically', () => {
    const docs = [doc('refund-policy.md', 'INDEXED'), doc('broken.pdf', 'FAILED'), doc('new.txt', 'QUEUED'),
      doc('Onboarding.txt', 'INDEXED'), doc('refund-policy.md', 'INDEXED')];
    expect(scopeChoices(docs)).toEqual(['Onboarding.txt', 'refund-policy.md']);
  });

  it('offers nothing for an empty knowledge base', () => {
    expect(scopeChoices([])).toEqual([]);
  });
});

describe('scopeFilters', () => {
  it('restricts nothing for all documents', () => {
    expect(scopeFilters(ALL_DOCUMENTS)).toBeUndefined();
  });

  it('restricts to the chunks of one document by its name', () => {
    expect(scopeFilters('refund-policy.md')).toEqual({ source: 'refund-policy.md' });
  });
});

describe('sourceName', () => {
  const source = (metadata: Source['metadata']): Source => ({ documentId: 'd', chunkId: 'c', title: 't', text: 'x', metadata });

  it('reads the file name from the metadata', () => {
    expect(sourceName(source({ source: 'faq.md', author: 'Ana' }))).toBe('faq.md');
  });

  it('is undefined without metadata or a source', () => {
    expect(sourceName(source(null))).toBeUndefined();
    expect(sourceName(source({ author: 'Ana' }))).toBeUndefined();
    expect(sourceName(undefined)).toBeUndefined();
  });
});
