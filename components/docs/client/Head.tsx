import { Children, isValidElement, useEffect, useRef, type ReactElement, type ReactNode } from 'react';

// next/head for the docs page's own client (./entry.ts). The server renders the page's <head> with Next's own
// next/head (every element marked data-next-head); in the browser this one keeps it in step when the page
// changes in place: the title, and the page's <meta> (by name) and <link> (by rel and type) elements.

type THeadElement = ReactElement<Record<string, unknown> & { children?: ReactNode }>;

function textOf(children: ReactNode): string {
  return Children.toArray(children)
    .map((child) => (typeof child === 'string' || typeof child === 'number' ? String(child) : ''))
    .join('');
}

const ATTRIBUTE_NAMES: Record<string, string> = { className: 'class', httpEquiv: 'http-equiv', charSet: 'charset', crossOrigin: 'crossorigin' };

function toDomElement(element: THeadElement): HTMLElement {
  const node = document.createElement(element.type as string);
  for (const [key, value] of Object.entries(element.props)) {
    if (key === 'children' || value === undefined || value === null || value === false) continue;
    node.setAttribute(ATTRIBUTE_NAMES[key] ?? key, value === true ? '' : String(value));
  }
  node.setAttribute('data-next-head', '');
  return node;
}

/** The selector of the elements in <head> that `element` stands for (null: one this component does not manage). */
function selectorOf(element: THeadElement): string | null {
  const attribute = (name: string) => (typeof element.props[name] === 'string' ? CSS.escape(element.props[name] as string) : null);
  if (element.type === 'meta') {
    const name = attribute('name');
    const property = attribute('property');
    return name ? `meta[name="${name}"]` : property ? `meta[property="${property}"]` : null;
  }
  if (element.type === 'link') {
    const rel = attribute('rel');
    const type = attribute('type');
    return rel ? `link[rel="${rel}"]${type ? `[type="${type}"]` : ''}` : null;
  }
  return null;
}

/** The head's elements for `previous` (the page before) replaced by those for `elements`; the title set. */
export function applyHead(previous: THeadElement[], elements: THeadElement[]) {
  const title = elements.find((element) => element.type === 'title');
  if (title) document.title = textOf(title.props.children);
  for (const element of previous) {
    const selector = selectorOf(element);
    if (selector) for (const old of document.head.querySelectorAll(selector)) old.remove();
  }
  for (const element of elements) {
    if (selectorOf(element) !== null) document.head.append(toDomElement(element));
  }
}

export default function Head({ children }: { children?: ReactNode }) {
  const elements = Children.toArray(children).filter((child): child is THeadElement => isValidElement(child) && typeof child.type === 'string');
  // The key says when the head changed: the same page rendered again leaves the head as it is. The first render
  // is the server's page, whose head is already right (and holds elements of Next's own, such as the viewport).
  const key = JSON.stringify(elements.map((element) => [element.type, element.props]));
  const rendered = useRef<THeadElement[] | null>(null);
  useEffect(() => {
    const next = (JSON.parse(key) as [string, Record<string, unknown>][]).map(([type, props]) => ({ type, props }) as THeadElement);
    if (rendered.current !== null) applyHead(rendered.current, next);
    rendered.current = next;
  }, [key]);
  return null;
}
