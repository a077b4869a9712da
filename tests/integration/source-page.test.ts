import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setApp, type TApp } from '@/lib/app';
import { MAINTAINER_ACCESS, PUBLIC_ACCESS } from '@/lib/audiences';
import { loadSourcePage } from '@/lib/docs/site/source-page';
import { createTestApp } from '../helpers/app';
import { CODE_STAFF_RULE, INTERNAL_FILE, makeCodeCheckout, TOASTER_FILE, waitForCode } from '../helpers/code-checkout';

// The site's own source page's data (issue 70): a file of a checkout without a web address, indexed by the code kind
// and read through the read gate. Its symbols' lines come numbered, each range a citation opens a target; a file
// the reader may not read is null, as a file that is not indexed is.

let app: TApp;

beforeAll(async () => {
  app = await createTestApp({ env: { DOCS_CODE_DIR: makeCodeCheckout(), DOCS_AUDIENCES: CODE_STAFF_RULE } });
  await waitForCode(app.db);
});

afterAll(async () => {
  await app?.db.close();
  setApp(undefined);
});

describe('the source page', () => {
  it("serves an indexed file's symbols as numbered lines, the ranges citations open as targets", async () => {
    const page = await loadSourcePage({ db: app.db, access: PUBLIC_ACCESS, path: `code:widgets/${TOASTER_FILE}` });
    expect(page).not.toBeNull();
    expect(page!.file).toBe(TOASTER_FILE);
    expect(page!.language).toBe('ts');
    const lines = page!.runs.flatMap((run) => run.lines);
    expect(lines.find((line) => line.number === 11)?.text).toBe('    window.setTimeout(pop, dismissAfter, id);');
    expect(lines.find((line) => line.number === 4)?.text).toBe('export const DEFAULT_DISMISS_AFTER = 5000;');
    // Every line once, in order.
    const numbers = lines.map((line) => line.number);
    expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b));
    const hook = page!.runs.find((run) => run.heading === 'useToaster')!;
    expect(hook.anchor).toBe('L6-L14');
    expect(hook.ranges[9]?.map((range) => range.id)).toContain('L9-L12');
    expect(hook.ranges[9]?.find((range) => range.id === 'L9-L12')?.lines).toBe(4);
  });

  it('answers a file the reader may not read as one that is not indexed', async () => {
    expect(await loadSourcePage({ db: app.db, access: PUBLIC_ACCESS, path: `code:widgets/${INTERNAL_FILE}` })).toBeNull();
    expect(await loadSourcePage({ db: app.db, access: PUBLIC_ACCESS, path: 'code:widgets/src/nothing.ts' })).toBeNull();
    const staff = await loadSourcePage({ db: app.db, access: MAINTAINER_ACCESS, path: `code:widgets/${INTERNAL_FILE}` });
    expect(staff?.runs.flatMap((run) => run.lines).map((line) => line.text).join('\n')).toContain('zorbix');
  });

  it('serves only the code kind', async () => {
    expect(await loadSourcePage({ db: app.db, access: MAINTAINER_ACCESS, path: 'guides/slack.mdx' })).toBeNull();
  });
});
