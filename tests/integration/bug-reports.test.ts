import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TApp } from '@/lib/app';
import { runToolCall } from '@/lib/assistant/tools';
import { upsertDocsPagesByPath, type TPageInput } from '@/lib/db/docs-index';
import { threadBoilerplate } from '@/lib/docs/search/ranking/store';
import { createLogger } from '@/lib/log';
import { createTestApp } from '../helpers/app';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// Issue 56, item 1: a bug report pasted as it would be filed. The stored threads of a repository share its issue
// template; what they share is learnt (lib/relevance/boilerplate.ts), and a pasted report is searched by its own
// lines, its template's never taken for names the docs do not mention.

let app: TApp;

const report = (summary: string, step: string) =>
  ['### Describe the issue', '', summary, '', '**Steps To Reproduce**', `1. ${step}`, '', '### Widgetry Version', '', '4.1.0', '', 'Thanks for filing with Widgetry!'].join('\n');

const thread = (number: number, title: string, body: string): TPageInput => ({
  path: `github:acme/widgets#${number}`,
  kind: 'github',
  slug: `https://github.example/acme/widgets/issues/${number}`,
  title,
  description: '',
  checksum: `thread-${number}`,
  warnings: [],
  meta: { number, state: 'closed', updatedAt: '2026-11-20T10:00:00Z' },
  sections: [{ heading: title, heading_path: [title], anchor: '', content: body }],
});

const THREADS = [
  thread(101, 'Dial spins forever', report('The dial spins forever when its value is empty.', 'Render a dial with no value')),
  thread(102, 'Slider thumbs overlap', report('Slider thumbs overlap at the ends.', 'Drag a thumb to 100')),
  thread(103, 'Picker loses focus', report('The picker loses focus after a selection.', 'Pick a date')),
  thread(104, 'Destructive button focus ring missing', report('The destructive button has no focus ring in dark mode.', 'Tab to a destructive button')),
];

beforeAll(async () => {
  app = await createTestApp();
  await upsertDocsPagesByPath({ db: app.db, pages: THREADS });
});

afterAll(async () => {
  await app.db.close();
});

const tool = async (prompt: string) =>
  JSON.parse(
    await runToolCall({ access: PUBLIC_ACCESS,
      deps: { db: app.db, log: createLogger({ level: 'silent' }), embedder: null },
      call: { id: 'call_1', type: 'function', function: { name: 'get_relevant_docs', arguments: JSON.stringify({ prompt }) } },
    }),
  ) as { note?: string; not_in_docs?: string[]; results: { kind: string; number?: number }[] };

describe('a bug report pasted as filed', () => {
  it('learns the template from the stored threads’ bodies: the lines they share, none of one report’s own', async () => {
    expect([...(await threadBoilerplate(app.db))].sort()).toEqual(['describe the issue', 'steps to reproduce', 'thanks for filing with widgetry!', 'widgetry version']);
  });

  it('is searched without its template, whose lines are never names the docs do not mention, and the thread of the same problem is among the results', async () => {
    const output = await tool(report('When I tab to a destructive button, the focus ring is missing in dark mode.', 'Tab to a destructive button'));
    expect(output.not_in_docs).toBeUndefined();
    expect(output.note ?? '').not.toMatch(/never mention/);
    expect(output.results.some((result) => result.kind === 'thread' && result.number === 104)).toBe(true);
  });

  it('still names what the report itself brings that the docs never mention', async () => {
    const output = await tool(report('The destructive button has no focus ring in Konqueror.', 'Open it in Konqueror'));
    expect(output.not_in_docs).toEqual(['Konqueror']);
  });
});
