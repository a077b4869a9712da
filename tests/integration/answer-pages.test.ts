import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApprovedMaintainerAnswers } from '@/lib/db/maintainer-answers';
import { createDocsSources } from '@/lib/docs/sources';
import { parseConfig } from '@/lib/config';
import { createLogger } from '@/lib/log';
import { createTestDb } from '../helpers/pglite-template';
import { answerPage } from '@/lib/docs/sources/answers/page';

// The answers kind builds its pages in TypeScript (lib/docs/sources/answers/page.ts), where SQL built them before
// (pa_maintainer_answer_page in supabase/schemas/62_maintainer_answers.sql, in its history). The page is the same: its definition from then is created here
// under a test name and compared with the TypeScript one, field by field, the checksum aside (its version changed).

const FORMER_PAGE = `
create or replace function test_former_answer_page(a maintainer_answer) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'path', 'answer:' || a.id,
    'kind', 'answer',
    'slug', 'answers/' || a.id,
    'title', t.title,
    'description', left(btrim(a.question), 1000),
    'warnings', '[]'::jsonb,
    'sections', jsonb_build_array(jsonb_build_object('heading', t.title, 'heading_path', jsonb_build_array(t.title), 'anchor', '',
                                                      'content', a.answer)),
    'meta', jsonb_build_object('answeredAt', to_char(a.answered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                               'approvedAt', to_char(a.decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))
  from (select pa_maintainer_answer_title(a.question) as title) t
$$;`;

const ANSWERS: { question: string; answer: string; status: string }[] = [
  { question: 'How do I theme the Button?', answer: 'Use the `variant` prop; see /docs/components/button.', status: 'approved' },
  {
    question: `  Why does the Combobox lose focus when the list opens in a modal, every time I type a letter that matches nothing at all in it?\nIt worked in 1.x.\tThanks!  `,
    answer: 'A known issue with portals:\n\n```tsx\n<Combobox usePortal={false} />\n```',
    status: 'approved',
  },
  { question: `${'Ünïcödé 🧪 '.repeat(150)}end`, answer: 'Characters, not UTF-16 units.', status: 'approved' },
  { question: 'Rejected?', answer: 'Not shown.', status: 'rejected' },
  { question: 'Proposed?', answer: 'Not yet.', status: 'proposed' },
];

describe('an approved answer’s page', () => {
  let db: Awaited<ReturnType<typeof createTestDb>>;

  beforeAll(async () => {
    db = await createTestDb();
    await db.pg.exec(FORMER_PAGE);
    for (const [index, { question, answer, status }] of ANSWERS.entries()) {
      await db.pg.query(
        `insert into maintainer_answer (question, answer, status, answered_at, decided_at)
         values ($1, $2, $3, now() - make_interval(days => $4) + interval '0.654321 seconds', case when $3 = 'proposed' then null else now() - make_interval(hours => $4) end)`,
        [question, answer, status, index + 1],
      );
    }
  });

  afterAll(async () => {
    await db?.close();
  });

  it('is the page SQL built: path, kind, slug, title, description, section and dates', async () => {
    const former = (await db.pg.query<{ page: Record<string, unknown> }>("select test_former_answer_page(a) as page from maintainer_answer a where a.status = 'approved' order by a.id")).rows.map((row) => row.page);
    const approved = await listApprovedMaintainerAnswers({ db });
    expect(approved).toHaveLength(3);
    const built = approved.map((answer) => {
      const { checksum, ...page } = answerPage(answer);
      expect(checksum).toMatch(/^[0-9a-f]{32}$/);
      return page;
    });
    expect(built).toEqual(former);
  });

  it('is indexed by the kind’s sync, and the index follows the decisions', async () => {
    const source = createDocsSources(parseConfig({}, '/srv/docs')).find((entry) => entry.kind === 'answer');
    expect(source).toBeDefined();
    const deps = { db, log: createLogger({ level: 'silent' }), embedder: null };
    expect(await source?.load(deps)).toEqual({ approved: 3, indexed: 3, removed: 0 });
    expect(await source?.load(deps)).toEqual({ approved: 3, indexed: 0, removed: 0 });
    const stored = await db.pg.query<{ path: string; title: string; sections: number }>(
      "select p.path, p.title, (select count(*)::int from docs_section s where s.page_id = p.id) as sections from docs_page p where p.source_kind = 'answer' order by p.path",
    );
    expect(stored.rows.map((row) => row.sections)).toEqual([1, 1, 1]);
    await db.pg.query("update maintainer_answer set status = 'rejected' where question = 'How do I theme the Button?'");
    expect(await source?.load(deps)).toEqual({ approved: 2, indexed: 0, removed: 1 });
    expect(await source?.listIds(deps)).toHaveLength(2);
  });
});
