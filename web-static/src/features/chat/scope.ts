// Which documents a question searches: the chat's "Search in" choice as run filters (docs/API.md, "Retrieval filters").

import type { RetrievalFilters, Source, StewardDocument } from '../../api/client';

/** The choice that restricts nothing. */
export const ALL_DOCUMENTS = '';

/** Names of the documents a question can be scoped to: indexed ones, each once, in alphabetical order. */
export function scopeChoices(documents: readonly StewardDocument[]): string[] {
  const names = new Set(documents.filter((d) => d.status === 'INDEXED').map((d) => d.name));
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** The run filters for a choice: none for all documents, else the chunks whose `source` is that document's name. */
export function scopeFilters(choice: string): RetrievalFilters | undefined {
  return choice === ALL_DOCUMENTS ? undefined : { source: choice };
}

/** The document a source chunk came from, as its metadata names it (the file name). */
export function sourceName(source: Source | undefined): string | undefined {
  const name = source?.metadata?.source;
  return typeof name === 'string' && name ? name : undefined;
}
