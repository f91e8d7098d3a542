// What the upload accepts: the file types the platform reads (shared/core DocumentFormat), as the file input's
// `accept` list and as the sentence under the drop zone, from one table so the two cannot disagree.

import { MAX_UPLOAD_BYTES } from '../../api/client';

/** A kind of file as people name it, with every extension the platform reads it by. */
export interface UploadFormat {
  label: string;
  extensions: readonly string[];
}

/** In DocumentFormat's order; e-mail covers both of its formats (.eml and .mbox). */
export const UPLOAD_FORMATS: readonly UploadFormat[] = [
  { label: 'Text', extensions: ['txt', 'text'] },
  { label: 'Markdown', extensions: ['md', 'markdown'] },
  { label: 'HTML', extensions: ['html', 'htm'] },
  { label: 'PDF', extensions: ['pdf'] },
  { label: 'Word', extensions: ['docx'] },
  { label: 'e-mail (.eml, .mbox)', extensions: ['eml', 'mbox'] },
  { label: 'CSV', extensions: ['csv'] },
  { label: 'JSON', extensions: ['json', 'jsonl', 'ndjson'] },
];

/** The file input's `accept` value: every readable extension, e.g. `.txt,.text,.md,…`. */
export function acceptList(formats: readonly UploadFormat[] = UPLOAD_FORMATS): string {
  return formats.flatMap((f) => f.extensions.map((e) => `.${e}`)).join(',');
}

/** The sentence under the drop zone, e.g. "Text, Markdown, … CSV or JSON, up to 20 MiB each." */
export function uploadHint(formats: readonly UploadFormat[] = UPLOAD_FORMATS, maxBytes: number = MAX_UPLOAD_BYTES): string {
  const labels = formats.map((f) => f.label);
  const kinds = labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}` : (labels[0] ?? '');
  return `${kinds}, up to ${sizeWords(maxBytes)} each.`;
}

/** A whole number of MiB (or KiB) as such, anything else in bytes: the limit is stated exactly, never rounded. */
function sizeWords(bytes: number): string {
  for (const [unit, size] of [['MiB', 1024 * 1024], ['KiB', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}
