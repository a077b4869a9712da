import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';

// axe-core in Chromium, one way for every browser test. Evaluated through the DevTools protocol, which a page's CSP
// does not govern (a <script> tag would be refused).

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type TAxeNode = { target: string[]; html: string; failureSummary?: string };
export type TAxeViolation = { id: string; impact: string | null; nodes: TAxeNode[] };

/** Every violation axe finds in the page or frame, once its CSS transitions have ended. */
export async function axeViolations(target: Page | Frame): Promise<TAxeViolation[]> {
  // A colour mid-transition is neither state's colour: a button enabled a moment ago still has its disabled grey
  // for 100 ms, and axe measured that (3.06:1) once under CI's load. Infinite animations (spinners) are not waited on.
  await target.waitForFunction(() =>
    document.getAnimations().every((animation) => !(animation instanceof CSSTransition) || animation.playState !== 'running'),
  );
  await target.evaluate(axeSource);
  return target.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: TAxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.map((node) => ({ target: node.target, html: node.html.slice(0, 200), failureSummary: node.failureSummary })),
    }));
  });
}

/** The serious and critical violations, each as one line that says where (its first three nodes). */
export async function axeBlocking(target: Page | Frame): Promise<string[]> {
  return (await axeViolations(target))
    .filter((violation) => violation.impact === 'critical' || violation.impact === 'serious')
    .map((violation) => `${violation.id}: ${violation.nodes.slice(0, 3).map((node) => `${node.target.join(' ')} ${node.html} (${node.failureSummary ?? ''})`).join('; ')}`);
}
