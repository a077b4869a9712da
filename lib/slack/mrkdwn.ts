import type { List, Nodes, Root, Table } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { escapeMrkdwn, slackLink } from './format';

// An answer's Markdown (as the model or the offline model writes it) as Slack mrkdwn: bold, italics, strike,
// inline code and code blocks, lists with bullets, quotes, headings as bold lines, tables as lines of cells.
// Written here over the remark tree the site already parses answers with, rather than with a converter library,
// for two guarantees the answers need: every piece of text is escaped (so `<!channel>` or `<@U123>` written by a
// model, or copied from the docs into an answer, shows as typed and never notifies anyone, code included), and
// links go through slackLink (http(s) only; a link that leaves the site shows its own address, so a model cannot
// disguise where it points; site paths become absolute).

const processor = unified().use(remarkParse).use(remarkGfm).freeze();

/**
 * `trustedUrls`: the URLs of the sections the server cited or found for this answer (its url citations, its
 * search results). A link to one of them, or to another page of their sites (`trustedOrigins`), keeps its label
 * (the section's name) even on another origin, as a crawled site's pages are.
 */
export function markdownToMrkdwn(markdown: string, siteUrl: string, { trustedUrls = new Set<string>() }: { trustedUrls?: Set<string> } = {}): string {
  const tree = processor.parse(markdown) as Root;
  const trustedOrigins = new Set([...trustedUrls].map((url) => (URL.canParse(url) ? new URL(url).origin : null)).filter((origin) => origin !== null));
  return blocks(tree.children, { siteUrl, depth: 0, trustedUrls, trustedOrigins }).trim();
}

type TContext = { siteUrl: string; depth: number; trustedUrls: Set<string>; trustedOrigins: Set<string> };

function isTrustedLink(url: string, context: TContext): boolean {
  if (context.trustedUrls.has(url)) return true;
  return URL.canParse(url) && context.trustedOrigins.has(new URL(url).origin);
}

function blocks(nodes: Nodes[], context: TContext): string {
  return nodes
    .map((node) => block(node, context))
    .filter((text) => text.trim() !== '')
    .join('\n\n');
}

function block(node: Nodes, context: TContext): string {
  switch (node.type) {
    case 'paragraph':
      return inline(node.children, context);
    case 'heading':
      return bold(inline(node.children, context));
    case 'code':
      return `\`\`\`\n${escapeMrkdwn(node.value.replace(/`{3,}/g, '`\u200b``'))}\n\`\`\``;
    case 'blockquote':
      return blocks(node.children, context)
        .split('\n')
        .map((line) => `>${line}`)
        .join('\n');
    case 'list':
      return list(node, context);
    case 'table':
      return table(node, context);
    case 'thematicBreak':
      return '———';
    case 'html':
      return escapeMrkdwn(node.value);
    case 'definition':
    case 'footnoteDefinition':
    case 'yaml':
      return '';
    default:
      return 'children' in node ? inline(node.children as Nodes[], context) : 'value' in node ? escapeMrkdwn(String(node.value)) : '';
  }
}

function list(node: List, context: TContext): string {
  const indent = '    '.repeat(context.depth);
  const start = node.start ?? 1;
  return node.children
    .map((item, index) => {
      const marker = node.ordered ? `${start + index}.` : '•';
      const check = item.checked === true ? '☑ ' : item.checked === false ? '☐ ' : '';
      const [first, ...rest] = item.children;
      const head = first ? block(first, context) : '';
      const tail = rest.map((child) => (child.type === 'list' ? list(child, { ...context, depth: context.depth + 1 }) : indentLines(block(child, context), `${indent}    `)));
      // Continuation lines of the first paragraph line up under its text.
      const lines = [`${indent}${marker} ${check}${head.split('\n').join(`\n${indent}    `)}`, ...tail.filter((text) => text !== '')];
      return lines.join('\n');
    })
    .join('\n');
}

function table(node: Table, context: TContext): string {
  return node.children
    .map((row, index) => {
      const cells = row.children.map((cell) => inline(cell.children, context).replace(/\n/g, ' '));
      const line = cells.join(' | ');
      return index === 0 ? bold(line) : line;
    })
    .join('\n');
}

function inline(nodes: Nodes[], context: TContext): string {
  return nodes.map((node) => phrase(node, context)).join('');
}

function phrase(node: Nodes, context: TContext): string {
  switch (node.type) {
    case 'text':
      // A line break inside a paragraph is a space in Markdown (the site renders it so); Slack would break the line.
      return escapeMrkdwn(node.value.replace(/[ \t]*\n[ \t]*/g, ' '));
    case 'strong':
      return bold(inline(node.children, context));
    case 'emphasis':
      return wrap(inline(node.children, context), '_');
    case 'delete':
      return wrap(inline(node.children, context), '~');
    case 'inlineCode':
      return node.value === '' ? '' : `\`${escapeMrkdwn(node.value.replace(/`/g, 'ˋ'))}\``;
    case 'break':
      return '\n';
    case 'link': {
      const label = inlineText(node.children);
      return slackLink(node.url, label || node.url, context.siteUrl, { isTrusted: isTrustedLink(node.url, context) });
    }
    case 'image':
      return node.url ? slackLink(node.url, node.alt || node.url, context.siteUrl) : escapeMrkdwn(node.alt ?? '');
    case 'linkReference':
    case 'imageReference':
    case 'footnoteReference':
      return 'children' in node ? inline(node.children as Nodes[], context) : '';
    case 'html':
      return escapeMrkdwn(node.value);
    default:
      return 'children' in node ? inline(node.children as Nodes[], context) : 'value' in node ? escapeMrkdwn(String(node.value)) : '';
  }
}

/** A link's label as plain text (slackLink escapes it; Slack shows no formatting inside a label). */
function inlineText(nodes: Nodes[]): string {
  return nodes.map((node) => ('value' in node ? String(node.value) : 'children' in node ? inlineText(node.children as Nodes[]) : '')).join('');
}

function bold(text: string): string {
  return wrap(text, '*');
}

/** Slack applies a marker only at word edges, without inner spaces at the ends: those move outside it. */
function wrap(text: string, marker: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text);
  const [, before = '', body = '', after = ''] = match ?? [];
  return body === '' ? text : `${before}${marker}${body}${marker}${after}`;
}

function indentLines(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : `${indent}${line}`))
    .join('\n');
}
