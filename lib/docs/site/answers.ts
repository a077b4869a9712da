import type { TAudienceRule, TReaderAccess } from '../../audiences';
import type { TDb } from '../../db/types';
import { digitsOf } from '../../http/input';
import { answeredByText, dayOf, type TBlockNode, type TInline } from '../../shared/docs';
import { maintainerAnswerHref } from '../../shared/maintainer-answers';
import { getDocPageSlugs } from '../folder/load';
import { readApprovedAnswer } from '../gate';
import { renderDoc } from './render';

// A maintainers' answer's public page (/docs/answers/<id>, pages/docs/answers/[id].tsx) and its markdown twin
// (lib/docs/agents/answers.ts): the reader's question and the maintainers' reply as they were approved, masked and
// without anyone's name, cited as "Answered by the maintainers (date)". Only an approved answer has a page: a
// proposed, rejected, retracted or unknown one is a 404. Its texts are Markdown written in Slack: rendered as the
// docs' Markdown is (never MDX: nothing in them runs), and a link that is not http(s), mailto or on this site is
// left as its text.

export type TAnswerPage = {
  id: number;
  href: string;
  title: string;
  /** "Answered by the maintainers (2026-11-25)". */
  byline: string;
  answeredAt: string | null;
  approvedAt: string | null;
  /** The page's body: the question, then the answer, each under its heading. */
  blocks: TBlockNode[];
};

/** An answer's id as its URL has it: digits only, else none (a 404). */
export function answerIdOf(value: unknown): number | null {
  const id = digitsOf(Array.isArray(value) ? value[0] : value);
  return id !== null && id > 0 ? id : null;
}

/** The page of an approved answer the reader may read (its index path `answer:<id>`: DOCS_AUDIENCES); else null, a 404. */
export async function loadAnswerPage({
  db,
  docsDir,
  id,
  access,
  audienceRules,
}: {
  db: TDb;
  docsDir: string;
  id: number;
  access: TReaderAccess;
  audienceRules: readonly TAudienceRule[] | undefined;
}): Promise<TAnswerPage | null> {
  const answer = await readApprovedAnswer({ db, access, id, audienceRules });
  if (!answer) return null;
  const pageSlugs = getDocPageSlugs(docsDir);
  const render = (markdown: string) => safeLinks(renderDoc({ source: markdown, path: 'answer.md', pageSlugs }).blocks);
  const answeredAt = dayOf(answer.answeredAt) ?? null;
  return {
    id: answer.id,
    href: maintainerAnswerHref(answer.id),
    title: answer.title,
    byline: answeredByText(answeredAt ?? undefined),
    answeredAt,
    approvedAt: dayOf(answer.approvedAt) ?? null,
    blocks: [heading('Question', 'question'), ...render(answer.question), heading('Answer', 'answer'), ...render(answer.answer)],
  };
}

function heading(text: string, id: string): TBlockNode {
  return { type: 'heading', depth: 2, id, text, children: [{ type: 'text', value: text }] };
}

const SAFE_HREF = /^(https?:|mailto:|\/(?!\/)|#)/i;

function safeInline(nodes: TInline[]): TInline[] {
  return nodes.flatMap((node): TInline[] => {
    if (node.type === 'link') return SAFE_HREF.test(node.href.trim()) ? [{ ...node, children: safeInline(node.children) }] : safeInline(node.children);
    if (node.type === 'strong' || node.type === 'emphasis' || node.type === 'delete') return [{ ...node, children: safeInline(node.children) }];
    return [node];
  });
}

/** The blocks with every link that could run or leave for an odd scheme turned into its text. */
function safeLinks(blocks: TBlockNode[]): TBlockNode[] {
  return blocks.map((block): TBlockNode => {
    switch (block.type) {
      case 'heading':
      case 'paragraph':
        return { ...block, children: safeInline(block.children) };
      case 'list':
        return { ...block, items: block.items.map(safeLinks) };
      case 'table':
        return { ...block, rows: block.rows.map((row) => row.map(safeInline)) };
      case 'blockquote':
      case 'callout':
      case 'group':
        return { ...block, children: safeLinks(block.children) };
      default:
        return block;
    }
  });
}
