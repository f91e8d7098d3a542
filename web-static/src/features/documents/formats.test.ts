import { describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../api/client';
import documentFormat from '../../../../shared/core/src/main/java/dev/steward/core/knowledge/DocumentFormat.java?raw';
import apiConfig from '../../../../functions/api/src/main/java/dev/steward/function/api/ApiConfig.java?raw';
import { acceptList, UPLOAD_FORMATS, uploadHint } from './formats';

/** Every extension DocumentFormat's constants list, read from its source: `TEXT("txt", "text"),` and so on. */
function platformExtensions(source: string): string[] {
  const constants = [...source.matchAll(/^\s+[A-Z]+\(((?:"[a-z0-9]+"(?:,\s*)?)+)\)[,;]/gm)];
  return constants.flatMap((m) => [...m[1]!.matchAll(/"([a-z0-9]+)"/g)].map((e) => e[1]!));
}

describe('upload formats', () => {
  it('accepts exactly the extensions the platform reads', () => {
    const platform = platformExtensions(documentFormat);
    expect(platform).toContain('docx'); // the parse found the enum
    expect(UPLOAD_FORMATS.flatMap((f) => f.extensions)).toEqual(platform);
  });

  it('states the API default limit', () => {
    const m = /DEFAULT_MAX_UPLOAD_BYTES = (\d+)L \* 1024 \* 1024;/.exec(apiConfig);
    expect(m, 'ApiConfig.DEFAULT_MAX_UPLOAD_BYTES in MiB').not.toBeNull();
    expect(MAX_UPLOAD_BYTES).toBe(Number(m![1]) * 1024 * 1024);
  });

  it('builds the accept attribute from the table', () => {
    expect(acceptList()).toBe('.txt,.text,.md,.markdown,.html,.htm,.pdf,.docx,.eml,.mbox,.csv,.json,.jsonl,.ndjson');
    expect(acceptList([{ label: 'PDF', extensions: ['pdf'] }])).toBe('.pdf');
  });

  it('says the types in words and the limit exactly', () => {
    expect(uploadHint()).toBe('Text, Markdown, HTML, PDF, Word, e-mail (.eml, .mbox), CSV or JSON, up to 20 MiB each.');
    expect(uploadHint([{ label: 'PDF', extensions: ['pdf'] }], 512 * 1024)).toBe('PDF, up to 512 KiB each.');
    expect(uploadHint(UPLOAD_FORMATS.slice(0, 2), 1000)).toBe('Text or Markdown, up to 1000 bytes each.');
  });
});
