import { Fragment, type ReactNode } from 'react';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Callout, CalloutHeading, CalloutText } from '@twilio-paste/core/callout';
import { Heading } from '@twilio-paste/core/heading';
import { InlineCode } from '@twilio-paste/core/inline-code';
import { ListItem, OrderedList, UnorderedList } from '@twilio-paste/core/list';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { Separator } from '@twilio-paste/core/separator';
import { Table, TBody, Td, Th, THead, Tr } from '@twilio-paste/core/table';
import type { TBlockNode, TInline } from '@/lib/shared/docs';
import { CodeBlock } from './CodeBlock';

const HEADING_VARIANTS = { 1: 'heading10', 2: 'heading20', 3: 'heading30', 4: 'heading40', 5: 'heading50', 6: 'heading60' } as const;

function Inline({ nodes }: { nodes: TInline[] }): ReactNode {
  return nodes.map((node, index) => {
    switch (node.type) {
      case 'text':
        return <Fragment key={index}>{node.value}</Fragment>;
      case 'code':
        return <InlineCode key={index}>{node.value}</InlineCode>;
      case 'strong':
        return (
          <Box as="strong" key={index} fontWeight="fontWeightSemibold">
            <Inline nodes={node.children} />
          </Box>
        );
      case 'emphasis':
        return (
          <Box as="em" key={index} fontStyle="italic">
            <Inline nodes={node.children} />
          </Box>
        );
      case 'delete':
        return (
          <Box as="del" key={index}>
            <Inline nodes={node.children} />
          </Box>
        );
      case 'link':
        return (
          <Anchor key={index} href={node.href} showExternal={/^https?:/.test(node.href)}>
            <Inline nodes={node.children} />
          </Anchor>
        );
      case 'break':
        return <br key={index} />;
      default:
        return null;
    }
  });
}

/** A heading with the same id the indexer gives its section, and a link to itself. */
function DocHeading({ node }: { node: Extract<TBlockNode, { type: 'heading' }> }) {
  const level = Math.min(Math.max(node.depth, 2), 6) as 2 | 3 | 4 | 5 | 6;
  return (
    <Box id={node.id} style={{ scrollMarginTop: '5rem' }} display="flex" alignItems="baseline" columnGap="space30">
      <Heading as={`h${level}`} variant={HEADING_VARIANTS[level]}>
        <Inline nodes={node.children} />
      </Heading>
      {node.id ? (
        <Anchor href={`#${node.id}`} aria-label={`Link to ${node.text}`}>
          #
        </Anchor>
      ) : null}
    </Box>
  );
}

/** "Table: Variable, Default, …", from the header row's text. */
function tableLabel(head: TInline[][] | undefined): string {
  const text = (nodes: TInline[]): string => nodes.map((node) => ('value' in node ? node.value : 'children' in node ? text(node.children) : '')).join('');
  const columns = (head ?? []).map(text).filter((column) => column.trim() !== '');
  return columns.length > 0 ? `Table: ${columns.join(', ')}` : 'Table';
}

export function DocBlocks({ blocks }: { blocks: TBlockNode[] }): ReactNode {
  return blocks.map((block, index) => <DocBlock key={index} block={block} />);
}

function DocBlock({ block }: { block: TBlockNode }): ReactNode {
  switch (block.type) {
    case 'heading':
      return <DocHeading node={block} />;
    case 'paragraph':
      return (
        <Paragraph>
          <Inline nodes={block.children} />
        </Paragraph>
      );
    case 'code':
      return <CodeBlock code={block.value} language={block.lang} />;
    case 'list': {
      const List = block.ordered ? OrderedList : UnorderedList;
      return (
        <List>
          {block.items.map((item, index) => (
            <ListItem key={index}>
              {item.map((child, childIndex) =>
                child.type === 'paragraph' ? (
                  <Fragment key={childIndex}>
                    <Inline nodes={child.children} />{' '}
                  </Fragment>
                ) : (
                  <DocBlock key={childIndex} block={child} />
                ),
              )}
            </ListItem>
          ))}
        </List>
      );
    }
    case 'table': {
      const [head, ...rows] = block.rows;
      return (
        // Scrolls sideways on narrow screens: a focusable, named region, so the keyboard can scroll it too.
        <Box marginBottom="space70" overflowX="auto" tabIndex={0} role="region" aria-label={tableLabel(head)}>
          <Table>
            {head ? (
              <THead>
                <Tr>
                  {head.map((cell, index) => (
                    <Th key={index} textAlign={block.align[index] ?? 'left'}>
                      <Inline nodes={cell} />
                    </Th>
                  ))}
                </Tr>
              </THead>
            ) : null}
            <TBody>
              {rows.map((row, rowIndex) => (
                <Tr key={rowIndex}>
                  {row.map((cell, index) => (
                    <Td key={index} textAlign={block.align[index] ?? 'left'}>
                      <Inline nodes={cell} />
                    </Td>
                  ))}
                </Tr>
              ))}
            </TBody>
          </Table>
        </Box>
      );
    }
    case 'blockquote':
      return (
        <Box as="blockquote" borderLeftStyle="solid" borderLeftWidth="borderWidth20" borderLeftColor="colorBorderWeak" paddingLeft="space50" marginX="space0" marginBottom="space70">
          <DocBlocks blocks={block.children} />
        </Box>
      );
    case 'callout':
      return (
        <Box marginBottom="space70">
          <Callout variant={block.variant}>
            {block.title ? <CalloutHeading as="h4">{block.title}</CalloutHeading> : null}
            {block.children.map((child, index) =>
              child.type === 'paragraph' ? (
                <CalloutText key={index}>
                  <Inline nodes={child.children} />
                </CalloutText>
              ) : (
                <DocBlock key={index} block={child} />
              ),
            )}
          </Callout>
        </Box>
      );
    case 'group':
      return <DocBlocks blocks={block.children} />;
    case 'rule':
      return <Separator orientation="horizontal" verticalSpacing="space70" />;
    default:
      return null;
  }
}
