import { Fragment, type ReactNode } from 'react';
import { Anchor } from '@/components/site/Anchor';
import { Callout } from '@/components/site/Callout';
import type { TBlockNode, TInline } from '@/lib/shared/docs';
import { CodeBlock } from './CodeBlock';

// A docs page's content as plain HTML in the look of Paste's Heading, Paragraph, InlineCode, List, Table,
// Callout and Separator (styles/site.css): the page ships none of Paste's JavaScript to draw it.

function Inline({ nodes }: { nodes: TInline[] }): ReactNode {
  return nodes.map((node, index) => {
    switch (node.type) {
      case 'text':
        return <Fragment key={index}>{node.value}</Fragment>;
      case 'code':
        return (
          <code key={index} className="inline-code">
            {node.value}
          </code>
        );
      case 'strong':
        return (
          <strong key={index}>
            <Inline nodes={node.children} />
          </strong>
        );
      case 'emphasis':
        return (
          <em key={index}>
            <Inline nodes={node.children} />
          </em>
        );
      case 'delete':
        return (
          <del key={index}>
            <Inline nodes={node.children} />
          </del>
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
  const Heading = `h${level}` as const;
  return (
    <div id={node.id} className="doc-heading">
      <Heading className={`heading heading-${level}0`}>
        <Inline nodes={node.children} />
      </Heading>
      {node.id ? (
        <Anchor href={`#${node.id}`} aria-label={`Link to ${node.text}`}>
          #
        </Anchor>
      ) : null}
    </div>
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
        <p className="paragraph">
          <Inline nodes={block.children} />
        </p>
      );
    case 'code':
      return <CodeBlock code={block.value} language={block.lang} />;
    case 'list': {
      const List = block.ordered ? 'ol' : 'ul';
      return (
        <List className="list">
          {block.items.map((item, index) => (
            <li key={index}>
              {item.map((child, childIndex) =>
                child.type === 'paragraph' ? (
                  <Fragment key={childIndex}>
                    <Inline nodes={child.children} />{' '}
                  </Fragment>
                ) : (
                  <DocBlock key={childIndex} block={child} />
                ),
              )}
            </li>
          ))}
        </List>
      );
    }
    case 'table': {
      const [head, ...rows] = block.rows;
      return (
        // Scrolls sideways on narrow screens: a focusable, named region, so the keyboard can scroll it too.
        <div className="table-scroll" tabIndex={0} role="region" aria-label={tableLabel(head)}>
          <table className="table">
            {head ? (
              <thead>
                <tr>
                  {head.map((cell, index) => (
                    <th key={index} style={{ textAlign: block.align[index] ?? 'left' }}>
                      <Inline nodes={cell} />
                    </th>
                  ))}
                </tr>
              </thead>
            ) : null}
            <tbody>
              {rows.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((cell, index) => (
                    <td key={index} style={{ textAlign: block.align[index] ?? 'left' }}>
                      <Inline nodes={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    }
    case 'blockquote':
      return (
        <blockquote className="blockquote">
          <DocBlocks blocks={block.children} />
        </blockquote>
      );
    case 'callout':
      return (
        <Callout variant={block.variant}>
          {block.title ? <h4 className="callout-heading">{block.title}</h4> : null}
          {block.children.map((child, index) =>
            child.type === 'paragraph' ? (
              <p key={index} className="callout-text">
                <Inline nodes={child.children} />
              </p>
            ) : (
              <DocBlock key={index} block={child} />
            ),
          )}
        </Callout>
      );
    case 'group':
      return <DocBlocks blocks={block.children} />;
    case 'rule':
      return <hr className="separator" aria-orientation="horizontal" />;
    default:
      return null;
  }
}
