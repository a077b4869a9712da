import type { Page } from 'playwright-core';

// The embed draws its buttons in a closed shadow root, which locators cannot reach: the browser's accessibility tree
// can, as a screen reader would.

export type TDrawnButton = { name: string; x: number; y: number; width: number; height: number };

/** The first button whose accessible name matches `name`, and where it is drawn (page coordinates); null when none is. */
export async function findDrawnButton(page: Page, name: RegExp): Promise<TDrawnButton | null> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value: string }; name?: { value: string }; backendDOMNodeId?: number; ignored?: boolean }[] };
    const button = nodes.find((node) => !node.ignored && node.role?.value === 'button' && name.test(node.name?.value ?? ''));
    if (!button?.backendDOMNodeId) return null;
    const { model } = (await cdp.send('DOM.getBoxModel', { backendNodeId: button.backendDOMNodeId })) as { model: { border: number[]; width: number; height: number } };
    const [x, y] = model.border as [number, number];
    return { name: button.name?.value ?? '', x, y, width: model.width, height: model.height };
  } catch {
    return null;
  } finally {
    await cdp.detach();
  }
}
