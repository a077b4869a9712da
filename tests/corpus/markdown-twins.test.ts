import { describe, expect, it } from 'vitest';
import { listDocFiles } from '@/lib/docs/load';
import { PASTE_CORPUS_DIR } from '../helpers/corpus';
import { expectTwinMatchesSections } from '../helpers/doc-twins';

describe('every page of the Paste corpus has a twin with the sections the index holds', () => {
  it('the Paste corpus (367 MDX pages)', () => {
    const files = listDocFiles(PASTE_CORPUS_DIR);
    expect(files.length).toBeGreaterThanOrEqual(367);
    for (const file of files) expectTwinMatchesSections(PASTE_CORPUS_DIR, file);
  }, 240_000);
});
