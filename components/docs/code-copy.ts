import { useEffect, type RefObject } from 'react';

// The copy buttons of the code blocks in static HTML (components/docs/CodeBlock.tsx): one listener on the page's
// container handles every button in it. A click copies the block's code to the clipboard; the label says
// "Copied" (or "Copy failed") for two seconds, then "Copy" again.

const LABEL_MS = 2000;

async function copyFrom(button: HTMLElement): Promise<void> {
  const block = button.closest('.code-block');
  const label = button.querySelector('[data-code-copy-label]');
  const code = block?.querySelector('pre code')?.textContent ?? '';
  let text = 'Copied';
  try {
    await navigator.clipboard.writeText(code);
  } catch {
    text = 'Copy failed';
  }
  if (!label) return;
  label.textContent = text;
  const timers = labelTimers.get(label);
  if (timers !== undefined) clearTimeout(timers);
  labelTimers.set(
    label,
    setTimeout(() => {
      label.textContent = 'Copy';
      labelTimers.delete(label);
    }, LABEL_MS),
  );
}

const labelTimers = new WeakMap<Element, ReturnType<typeof setTimeout>>();

/** Makes the copy buttons inside `containerRef` work, for as long as the component using it is mounted. */
export function useCodeCopyButtons(containerRef: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const onClick = (event: MouseEvent) => {
      const button = (event.target as Element | null)?.closest?.<HTMLElement>('[data-code-copy]');
      if (button && container.contains(button)) void copyFrom(button);
    };
    container.addEventListener('click', onClick);
    return () => container.removeEventListener('click', onClick);
  }, [containerRef]);
}
