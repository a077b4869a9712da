import type { PhrasingContent, Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx';
import { resolveDocHref, type TDocPageSlugs } from './links';
import { expressionCode, headingAnchors, headingText, parseMdxTree, type TEstreeNode } from '../parse/mdx';
import type { TBlockNode, TInline } from '../../shared/docs';
import { proseAttributes, stringAttribute } from '../parse/parse';

export type { TBlockNode, TInline };

// mdast → a small, serialisable tree that the docs page renders with Paste components (no raw HTML, no MDX
// evaluation). Static generation ships this tree as page props, so the browser never loads the parser.
// Known JSX: <Callout variant title> becomes a Paste Callout, <LivePreview>{`code`}</LivePreview> and other
// components whose child is a code string become code blocks; any other component renders its children.
// Links are pointed at this site's pages (lib/docs/site/links.ts): the caller passes the docs folder's pages, so
// the renderer reads no files itself.

export type TRenderedDoc = {
  title: string;
  description: string;
  blocks: TBlockNode[];
  /** The page's headings (h2, h3) for an on-page table of contents. */
  toc: { depth: number; id: string; text: string }[];
};

const CALLOUT_VARIANTS = new Set(['neutral', 'warning', 'error', 'success', 'new']);

/** `pageSlugs`: the docs folder's pages (`getDocPageSlugs`), which the page's links are resolved against. */
export function renderDoc({ source, path, pageSlugs }: { source: string; path: string; pageSlugs: TDocPageSlugs }): TRenderedDoc {
  const { tree, meta } = parseMdxTree({ source, path });
  const anchors = headingAnchors(tree);
  const firstH1 = tree.children.find((child) => child.type === 'heading' && child.depth === 1);
  const resolveHref: TResolveHref = (href) => resolveDocHref({ href, pagePath: path, pageSlugs });
  const context: TContext = { anchors, skip: firstH1, resolveHref };
  const blocks = renderChildren(tree, context);
  const toc: TRenderedDoc['toc'] = [];
  const collect = (nodes: TBlockNode[]) => {
    for (const node of nodes) {
      if (node.type === 'heading' && node.depth >= 2 && node.depth <= 3) toc.push({ depth: node.depth, id: node.id, text: node.text });
      if (node.type === 'group' || node.type === 'callout' || node.type === 'blockquote') collect(node.children);
    }
  };
  collect(blocks);
  return {
    title: meta.title ?? (firstH1 && firstH1.type === 'heading' ? headingText(firstH1) : path),
    description: meta.description ?? '',
    blocks,
    toc,
  };
}

type TResolveHref = (href: string) => string;
type TContext = { anchors: ReturnType<typeof headingAnchors>; skip: RootContent | undefined; resolveHref: TResolveHref };

function renderChildren(parent: { children: RootContent[] } | Root, context: TContext): TBlockNode[] {
  return parent.children.flatMap((child) => renderBlock(child, context));
}

function renderBlock(node: RootContent, context: TContext): TBlockNode[] {
  switch (node.type) {
    case 'heading':
      if (node === context.skip) return [];
      return [{ type: 'heading', depth: node.depth, id: context.anchors.get(node) ?? '', text: headingText(node), children: renderInline(node.children, context.resolveHref) }];
    case 'paragraph': {
      // `<Callout>Text</Callout>` on one line is phrasing JSX inside a paragraph; it still renders as a callout.
      const meaningful = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
      const only = meaningful.length === 1 ? meaningful[0] : undefined;
      if (only && only.type === 'mdxJsxTextElement' && only.name === 'Callout') {
        const variant = stringAttribute(only, 'variant') ?? 'neutral';
        return [
          {
            type: 'callout',
            variant: (CALLOUT_VARIANTS.has(variant) ? variant : 'neutral') as 'neutral',
            title: stringAttribute(only, 'title') ?? '',
            children: [{ type: 'paragraph', children: renderInline(only.children, context.resolveHref) }],
          },
        ];
      }
      const children = renderInline(node.children, context.resolveHref);
      return children.length > 0 ? [{ type: 'paragraph', children }] : [];
    }
    case 'code':
      return [{ type: 'code', lang: node.lang ?? '', value: node.value }];
    case 'list':
      return [
        {
          type: 'list',
          ordered: node.ordered ?? false,
          start: node.start ?? 1,
          items: node.children.map((item) => item.children.flatMap((child) => renderBlock(child, context))),
        },
      ];
    case 'table':
      return [
        {
          type: 'table',
          align: node.align ?? [],
          rows: node.children.map((row) => row.children.map((cell) => renderInline(cell.children, context.resolveHref))),
        },
      ];
    case 'blockquote':
      return [{ type: 'blockquote', children: renderChildren(node, context) }];
    case 'thematicBreak':
      return [{ type: 'rule' }];
    case 'mdxFlowExpression': {
      const code = expressionCode(node.data?.estree as TEstreeNode | undefined);
      return code ? [{ type: 'code', lang: 'jsx', value: code }] : [];
    }
    case 'mdxJsxFlowElement':
      return renderJsx(node, context);
    default:
      // Imports, exports, front matter, raw HTML and definitions do not render.
      return [];
  }
}

/**
 * The destination of a JSX link component written in a page (`<Anchor href="/components/card">Card</Anchor>`,
 * `<a href>`, `<Link href>`): rendered as a link like markdown's, rather than as its text alone.
 */
function jsxLinkHref(node: MdxJsxFlowElement | MdxJsxTextElement): string | undefined {
  return /^(a|Anchor|Link)$/.test(node.name ?? '') ? stringAttribute(node, 'href') : undefined;
}

function renderJsx(node: MdxJsxFlowElement, context: TContext): TBlockNode[] {
  const name = node.name ?? '';
  const href = jsxLinkHref(node);
  if (href) {
    // A link alone on its line: its content is phrasing, or paragraphs of it.
    const phrasing = node.children.flatMap((child): PhrasingContent[] =>
      child.type === 'paragraph' ? child.children : child.type === 'mdxJsxFlowElement' ? [{ ...child, type: 'mdxJsxTextElement' } as MdxJsxTextElement] : [],
    );
    const children = renderInline(phrasing, context.resolveHref);
    const link: TBlockNode[] = children.length > 0 ? [{ type: 'paragraph', children: [{ type: 'link', href: context.resolveHref(href), children }] }] : [];
    // Prose props (an accessible label) are kept as any component's are, so the page says what the index holds.
    const prose = proseAttributes(node).map((text): TBlockNode => ({ type: 'paragraph', children: [{ type: 'text', value: text }] }));
    return prose.length > 0 ? [{ type: 'group', children: [...prose, ...link] }] : link;
  }
  const children: TBlockNode[] = [];
  for (const child of node.children) {
    if (child.type === 'mdxFlowExpression') {
      const code = expressionCode(child.data?.estree as TEstreeNode | undefined);
      if (code) children.push({ type: 'code', lang: stringAttribute(node, 'language') ?? 'jsx', value: code });
      continue;
    }
    children.push(...renderBlock(child as RootContent, context));
  }
  if (/^Callout$/.test(name)) {
    const variant = stringAttribute(node, 'variant') ?? 'neutral';
    return [
      {
        type: 'callout',
        variant: (CALLOUT_VARIANTS.has(variant) ? variant : 'neutral') as 'neutral',
        title: stringAttribute(node, 'title') ?? '',
        children,
      },
    ];
  }
  const prose = proseAttributes(node).map((text): TBlockNode => ({ type: 'paragraph', children: [{ type: 'text', value: text }] }));
  const all = [...prose, ...children];
  return all.length > 0 ? [{ type: 'group', children: all }] : [];
}

export function renderInline(nodes: PhrasingContent[], resolveHref: TResolveHref): TInline[] {
  const out: TInline[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out.push({ type: 'text', value: node.value });
        break;
      case 'inlineCode':
        out.push({ type: 'code', value: node.value });
        break;
      case 'strong':
      case 'emphasis':
      case 'delete':
        out.push({ type: node.type, children: renderInline(node.children, resolveHref) });
        break;
      case 'link':
        out.push({ type: 'link', href: resolveHref(node.url), children: renderInline(node.children, resolveHref) });
        break;
      case 'break':
        out.push({ type: 'break' });
        break;
      case 'image':
        if (node.alt) out.push({ type: 'text', value: node.alt });
        break;
      case 'mdxJsxTextElement': {
        const element = node as MdxJsxTextElement;
        const href = jsxLinkHref(element);
        const children = renderInline(element.children, resolveHref);
        out.push(...(href ? [{ type: 'link' as const, href: resolveHref(href), children }] : children));
        break;
      }
      case 'mdxTextExpression': {
        const code = expressionCode(node.data?.estree as TEstreeNode | undefined);
        if (code) out.push({ type: 'code', value: code });
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** The last render of each page, kept while its source and the site's pages are the same (the docs pages render per request). */
const rendered = new Map<string, { source: string; pageSlugs: TDocPageSlugs; doc: TRenderedDoc }>();

/** renderDoc, reusing the page's last render when nothing it was made from changed. */
export function renderDocCached(args: { source: string; path: string; pageSlugs: TDocPageSlugs }): TRenderedDoc {
  const last = rendered.get(args.path);
  if (last && last.source === args.source && last.pageSlugs.size === args.pageSlugs.size && [...args.pageSlugs].every((slug) => last.pageSlugs.has(slug))) return last.doc;
  const doc = renderDoc(args);
  rendered.set(args.path, { source: args.source, pageSlugs: args.pageSlugs, doc });
  return doc;
}
