import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { createAssistantTools } from '@/lib/assistant/tools';
import { PUBLIC_ACCESS, type TReaderAccess } from '@/lib/audiences';
import { comparedPages } from '@/lib/docs/gate';
import { createLogger } from '@/lib/log';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { createTestApp } from '../helpers/app';

// The pages the docs compare (issue 71 item 4, lib/docs/gate/compared.ts), read through the gate from a real
// database: a heading "Popover vs. Tooltip" links the pages it names, a comparison's subsections count, pages two
// comparisons away are alternatives too, and a reader meets only pages they may see, linked only by headings on
// pages they may see. The search tool hands them on with its docs results.

const STAFF: TReaderAccess = { audiences: ['staff'], isMaintainer: false };
let app: TApp;

beforeAll(async () => {
  const dir = makeTempDir('compared-pages-');
  const page = (file: string, text: string) => writeFileSync(path.join(dir, file), text);
  page('tooltip.md', '---\ntitle: Tooltip\n---\n\n## About Tooltip\n\nThe Tooltip component is a popup that shows a short label on hover.\n');
  // The comparison's text is in its subsections, as real docs often have it.
  page('popover.md', '---\ntitle: Popover\n---\n\n## About Popover\n\nA Popover shows interactive content over the page.\n\n## Popover vs. Tooltip\n\n### Differences\n\nA Popover holds buttons; a Tooltip holds a label.\n\n## Popover vs. Secret Widget\n\nThe secret widget is for staff.\n');
  page('modal.md', '---\ntitle: Modal - Components\n---\n\n## About Modal\n\nA Modal blocks the page.\n\n## Modal compared to Popover\n\nA Modal takes the whole page.\n');
  page('secret-widget.md', '---\ntitle: Secret Widget\naudience: staff\n---\n\n## About it\n\nThe secret widget is internal.\n\n## Secret Widget vs. Drawer\n\nA drawer slides in.\n');
  page('drawer.md', '---\ntitle: Drawer\n---\n\n## About Drawer\n\nA Drawer slides in from the side.\n');
  app = await createTestApp({ env: { DOCS_DIR: dir } });
});

afterAll(async () => {
  await app?.db.close();
});

const alternatives = async (access: TReaderAccess, file: string) => (await comparedPages({ db: app.db, access, paths: [file] })).get(file);

describe('the pages the docs compare, for a reader', () => {
  it('links the pages a comparison heading names, at any level, and pages two comparisons away', async () => {
    expect(await alternatives(PUBLIC_ACCESS, 'tooltip.md')).toEqual(['Popover', 'Modal']);
    expect(new Set(await alternatives(PUBLIC_ACCESS, 'popover.md'))).toEqual(new Set(['Tooltip', 'Modal']));
    // A title with a site's suffix ("Modal - Components") is named by its head.
    expect(await alternatives(PUBLIC_ACCESS, 'modal.md')).toEqual(['Popover', 'Tooltip']);
    // A page no heading compares has none.
    expect(await alternatives(PUBLIC_ACCESS, 'drawer.md')).toBeUndefined();
  });

  it('never names a page the reader may not see, nor links pages by a heading on one', async () => {
    for (const file of ['tooltip.md', 'popover.md', 'modal.md']) expect(await alternatives(PUBLIC_ACCESS, file)).not.toContain('Secret Widget');
    // The private page's own heading links Drawer to it: not for a public reader.
    expect(await alternatives(PUBLIC_ACCESS, 'drawer.md')).toBeUndefined();
    expect(await alternatives(STAFF, 'popover.md')).toContain('Secret Widget');
    expect(await alternatives(STAFF, 'drawer.md')).toEqual(['Secret Widget', 'Popover']);
  });

  it('hands them on with the search tool’s docs results', async () => {
    const tools = createAssistantTools({ db: app.db, log: createLogger({ level: 'silent' }), embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
    const output = JSON.parse(await tools.run({ id: 'c1', type: 'function', function: { name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: 'tooltip popup label' }) } }, { access: PUBLIC_ACCESS })) as {
      results: { url: string; alternatives?: string[] }[];
    };
    const tooltip = output.results.find((result) => result.url.startsWith('/docs/tooltip'));
    expect(tooltip?.alternatives).toEqual(['Popover', 'Modal']);
    // A public page's own heading may name it; no alternatives do.
    expect(output.results.flatMap((result) => result.alternatives ?? [])).not.toContain('Secret Widget');
  });
});
