import { createContext, Fragment, lazy, Suspense, useContext, useEffect, useMemo, useRef, type ReactElement, type ReactNode } from 'react';
import type { Definition, Nodes, Parents, PhrasingContent, Root, RootContent, TableCell } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { AIChatMessageSource } from '@twilio-paste/core/ai-chat-log';
import { Box } from '@twilio-paste/core/box';
import { Heading, type HeadingProps } from '@twilio-paste/core/heading';
import { InlineCode } from '@twilio-paste/core/inline-code';
import { ListItem, OrderedList, UnorderedList } from '@twilio-paste/core/list';
import { Separator } from '@twilio-paste/core/separator';
import { Table, TBody, Td, Th, THead, Tr } from '@twilio-paste/core/table';
import { SafeLink } from './links';

// Paste's CodeBlock and its syntax highlighter weigh as much as the rest of the markdown: they load when an
// answer first has code.
const MarkdownCode = lazy(() => import('./markdown-code').then(({ MarkdownCode }) => ({ default: MarkdownCode })));

export type TCodeProps = { value: string; lang: string | null | undefined };
/** Renders a code block at once, when a page provides it (components/assistant/eager-markdown.tsx): no lazy loading. */
const MarkdownCodeRendererContext = createContext<((props: TCodeProps) => ReactNode) | null>(null);
export const MarkdownCodeRenderer = MarkdownCodeRendererContext.Provider;

// Markdown from the model, rendered as React elements made of Paste components: remark parses the text into
// an mdast tree and each node maps to a component. No HTML is ever injected: raw HTML in the text (an `html`
// node) is shown as the literal text it is, and there is no dangerouslySetInnerHTML anywhere.

const parser = unified().use(remarkParse).use(remarkGfm);

export function parseMarkdown(text: string): Root {
  return parser.parse(text);
}

type TContext = {
  definitions: Map<string, Definition>;
  /** Annotation end offsets in the text → source numbers, shown as footnotes after the node that ends there. */
  footnotes: Map<number, number[]>;
  /** Renders a code block at once, when the page provides it. */
  code: ((props: TCodeProps) => ReactNode) | null;
};

const HEADING_AS: HeadingProps['as'][] = ['h3', 'h4', 'h5', 'h6'];
const HEADING_VARIANT: HeadingProps['variant'][] = ['heading40', 'heading50', 'heading60', 'heading60'];

function Footnotes({ node, context }: { node: Nodes; context: TContext }) {
  const end = node.position?.end.offset;
  const numbers = end === undefined ? undefined : context.footnotes.get(end);
  if (!numbers) return null;
  return (
    <>
      {numbers.map((number) => (
        <AIChatMessageSource key={number}>{String(number)}</AIChatMessageSource>
      ))}
    </>
  );
}

function renderChildren(parent: Parents, context: TContext): ReactElement[] {
  return parent.children.map((child, index) => <Fragment key={index}>{renderNode(child as RootContent, context)}</Fragment>);
}

function renderPhrasing(nodes: PhrasingContent[], context: TContext): ReactElement[] {
  return nodes.map((child, index) => <Fragment key={index}>{renderNode(child, context)}</Fragment>);
}

function renderNode(node: RootContent, context: TContext): ReactNode {
  switch (node.type) {
    case 'paragraph':
      return (
        <Box as="p" marginTop="space0" marginBottom="space40">
          {renderChildren(node, context)}
        </Box>
      );
    case 'heading': {
      const level = Math.min(node.depth, 4) - 1;
      return (
        <Box marginTop="space50" marginBottom="space30">
          <Heading as={HEADING_AS[level] ?? 'h6'} variant={HEADING_VARIANT[level] ?? 'heading60'} marginBottom="space0">
            {renderChildren(node, context)}
          </Heading>
        </Box>
      );
    }
    case 'text':
      return (
        <>
          {node.value}
          <Footnotes node={node} context={context} />
        </>
      );
    case 'emphasis':
      return (
        <Box as="em" fontStyle="italic">
          {renderChildren(node, context)}
        </Box>
      );
    case 'strong':
      return (
        <Box as="strong" fontWeight="fontWeightSemibold">
          {renderChildren(node, context)}
        </Box>
      );
    case 'delete':
      return (
        <Box as="del" textDecoration="line-through">
          {renderChildren(node, context)}
        </Box>
      );
    case 'inlineCode':
      return <InlineCode>{node.value}</InlineCode>;
    case 'break':
      return <br />;
    case 'link':
      return (
        <>
          <SafeLink href={node.url} title={node.title ?? undefined}>
            {renderChildren(node, context)}
          </SafeLink>
          <Footnotes node={node} context={context} />
        </>
      );
    case 'linkReference': {
      const definition = context.definitions.get(node.identifier.toLowerCase());
      if (!definition) return renderChildren(node, context);
      return (
        <>
          <SafeLink href={definition.url} title={definition.title ?? undefined}>
            {renderChildren(node, context)}
          </SafeLink>
          <Footnotes node={node} context={context} />
        </>
      );
    }
    case 'image':
    case 'imageReference': {
      // Remote images are not loaded (they could track readers); the alt text links to the image instead.
      const url = node.type === 'image' ? node.url : context.definitions.get(node.identifier.toLowerCase())?.url;
      const label = node.alt ? `Image: ${node.alt}` : 'Image';
      return url ? <SafeLink href={url}>{label}</SafeLink> : <>{label}</>;
    }
    case 'html':
      // Raw HTML is text, never markup.
      return <>{node.value}</>;
    case 'list': {
      const items = renderChildren(node, context);
      return node.ordered ? (
        <OrderedList start={node.start ?? undefined} marginBottom="space40">
          {items}
        </OrderedList>
      ) : (
        <UnorderedList marginBottom="space40">{items}</UnorderedList>
      );
    }
    case 'listItem': {
      const isTask = typeof node.checked === 'boolean';
      // A tight list item's paragraphs are inline text, as in HTML rendered from markdown.
      const content = node.spread
        ? renderChildren(node, context)
        : node.children.map((child, index) => (
            <Fragment key={index}>
              {child.type === 'paragraph' ? renderPhrasing(child.children, context) : renderNode(child, context)}
              {child.type === 'paragraph' && index < node.children.length - 1 ? ' ' : null}
            </Fragment>
          ));
      return (
        <ListItem>
          {isTask ? <Box as="span" marginRight="space20">{node.checked ? '☑' : '☐'}</Box> : null}
          {content}
        </ListItem>
      );
    }
    case 'blockquote':
      return (
        <Box
          as="blockquote"
          marginX="space0"
          marginTop="space0"
          marginBottom="space40"
          paddingLeft="space40"
          borderLeftWidth="borderWidth20"
          borderLeftStyle="solid"
          borderLeftColor="colorBorderWeak"
          color="colorTextWeak"
        >
          {renderChildren(node, context)}
        </Box>
      );
    case 'code':
      if (context.code) return context.code({ value: node.value, lang: node.lang });
      // Highlighting loads with the first code block (components/assistant/markdown-code.tsx); until then the
      // code shows as plain preformatted text.
      return (
        <Suspense
          fallback={
            <Box as="pre" marginTop="space0" marginBottom="space40" whiteSpace="pre-wrap" fontFamily="fontFamilyCode" fontSize="fontSize30">
              {node.value}
            </Box>
          }
        >
          <MarkdownCode value={node.value} lang={node.lang} />
        </Suspense>
      );
    case 'thematicBreak':
      return (
        <Box marginY="space40">
          <Separator orientation="horizontal" />
        </Box>
      );
    case 'table': {
      const [head, ...body] = node.children;
      const align = (index: number) => node.align?.[index] ?? undefined;
      const cells = (row: { children: TableCell[] }, isHead: boolean) =>
        row.children.map((cell, index) =>
          isHead ? (
            <Th key={index} textAlign={align(index) === 'right' ? 'right' : align(index) === 'center' ? 'center' : 'left'}>
              {renderChildren(cell, context)}
            </Th>
          ) : (
            <Td key={index} textAlign={align(index) === 'right' ? 'right' : align(index) === 'center' ? 'center' : 'left'}>
              {renderChildren(cell, context)}
            </Td>
          ),
        );
      return (
        <ScrollableTable>
          <Table>
            {head ? (
              <THead>
                <Tr>{cells(head, true)}</Tr>
              </THead>
            ) : null}
            <TBody>
              {body.map((row, index) => (
                <Tr key={index}>{cells(row, false)}</Tr>
              ))}
            </TBody>
          </Table>
        </ScrollableTable>
      );
    }
    case 'definition':
      return null;
    case 'footnoteReference':
      return <>[^{node.identifier}]</>;
    case 'footnoteDefinition':
      return (
        <Box as="p" marginTop="space0" marginBottom="space40" fontSize="fontSize20">
          [^{node.identifier}]: {renderChildren(node, context)}
        </Box>
      );
    default:
      // Node types not handled above (e.g. from future remark versions) fall back to their text.
      return 'value' in node && typeof node.value === 'string' ? node.value : 'children' in node ? renderChildren(node as Parents, context) : null;
  }
}

function collectDefinitions(root: Root): Map<string, Definition> {
  const definitions = new Map<string, Definition>();
  const visit = (node: Nodes) => {
    if (node.type === 'definition') definitions.set(node.identifier.toLowerCase(), node);
    if ('children' in node) node.children.forEach((child) => visit(child as Nodes));
  };
  visit(root);
  return definitions;
}

export function Markdown({ text, footnotes }: { text: string; footnotes?: Map<number, number[]> }) {
  const root = useMemo(() => parseMarkdown(text), [text]);
  const code = useContext(MarkdownCodeRendererContext);
  const context = useMemo(() => ({ definitions: collectDefinitions(root), footnotes: footnotes ?? new Map(), code }), [root, footnotes, code]);
  return <Box whiteSpace="normal">{renderChildren(root, context)}</Box>;
}

/**
 * A table that scrolls sideways in a narrow panel. A region that scrolls must take keyboard focus so that a keyboard
 * reader can scroll it (axe: scrollable-region-focusable): the one scrolling box is focusable, named as a region.
 */
function ScrollableTable({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    box.tabIndex = 0;
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', 'Table, scrolls sideways');
  });
  return (
    <Box ref={ref} marginBottom="space40" overflowX="auto">
      {children}
    </Box>
  );
}
