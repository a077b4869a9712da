// `npm run eval:screenshots`: what the server reads in a screenshot (issue 71 item 3), measured. Each question of the
// real readers' sets (Vite's, pnpm's and Paste's trackers: error messages, logs, bug reports; and this site's held-out
// questions; all written before this script) is drawn by Chromium the way a reader screenshots it, in two looks — a terminal's
// (13 px monospace, light on dark, device pixel ratio 2) and a docs page's (16 px sans-serif, ratio 1) — and read by the
// server's own OCR (lib/assistant/ocr.ts). Two figures per look: the share of the visible words the OCR recovers (goal
// ≥ 0.95), and how often the offline answer to the screenshot alone ("[screenshot] …", as the server builds it) cites
// first the same page as the answer to the typed text (goal ≥ 0.80). Needs ../shared/corpora and Debian's Chromium.
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { questionWithScreenshots } from '@/lib/assistant/images';
import { createOcr } from '@/lib/assistant/ocr';
import { createAssistantTools, TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { createLogger } from '@/lib/log';
import { createOfflineModel } from '@/lib/model/offline';
import type { TInputItem } from '@/lib/model/types';
import { indexIntoMemory, loadQuestionSet } from './lib/search-eval';

// The stand-in's form ("[screenshot] …", not "[screenshot: …]") was chosen on Vite's and pnpm's sets; the Paste and
// this site's held-out sets were not looked at for it.
const SETS = [
  { docs: '../shared/corpora/vite-docs', file: 'evals/vite-real.json' },
  { docs: '../shared/corpora/pnpm-docs', file: 'evals/pnpm-real.json' },
  { docs: '../shared/corpora/paste-docs', file: 'evals/paste-real.json' },
  { docs: 'content/docs', file: 'evals/own-docs-heldout.json' },
];

const LOOKS = {
  terminal: { css: 'font: 13px/1.4 monospace; color: #e6e6e6; background: #1e1e1e;', scale: 2 },
  page: { css: 'font: 16px/1.5 sans-serif; color: #121c2d; background: #ffffff;', scale: 1 },
} as const;
type TLook = keyof typeof LOOKS;

const words = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

/** The share of the text's words (with their counts) that the OCR's words hold. */
function recovered(visible: string, read: string): { found: number; total: number } {
  const left = new Map<string, number>();
  for (const word of words(read)) left.set(word, (left.get(word) ?? 0) + 1);
  let found = 0;
  const all = words(visible);
  for (const word of all) {
    const count = left.get(word) ?? 0;
    if (count > 0) {
      found += 1;
      left.set(word, count - 1);
    }
  }
  return { found, total: all.length };
}

async function screenshot(page: Page, text: string, look: TLook): Promise<Buffer> {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  await page.setContent(`<body style="margin:0"><pre style="margin:0;padding:16px;white-space:pre-wrap;${LOOKS[look].css}">${escaped}</pre></body>`);
  return page.locator('pre').screenshot();
}

async function main() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const log = createLogger({ level: 'silent' });
  const ocr = createOcr({ log });
  const model = createOfflineModel();
  const totals: Record<TLook, { found: number; total: number; same: number; asked: number }> = {
    terminal: { found: 0, total: 0, same: 0, asked: 0 },
    page: { found: 0, total: 0, same: 0, asked: 0 },
  };
  try {
    const pages = Object.fromEntries(
      await Promise.all((Object.keys(LOOKS) as TLook[]).map(async (look) => [look, await browser.newPage({ viewport: { width: 760, height: 600 }, deviceScaleFactor: LOOKS[look].scale })])),
    ) as Record<TLook, Page>;
    for (const { docs, file } of SETS) {
      const { db } = await indexIntoMemory(path.resolve(docs));
      const tools = createAssistantTools({ db, log, embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
      const firstCitedPage = async (question: string) => {
        const input: TInputItem[] = [{ type: 'message', role: 'user', content: question }];
        for (let round = 0; round < 4; round += 1) {
          const response = await model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS });
          if (response.output.type === 'message') {
            const url = response.output.annotations?.[0]?.url;
            return url ? url.split('#')[0] : null;
          }
          for (const call of response.output.calls) {
            input.push({ type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments });
            const output = await tools.run({ id: call.call_id, type: 'function', function: { name: call.name, arguments: call.arguments } }, { access: PUBLIC_ACCESS });
            input.push({ type: 'function_call_output', call_id: call.call_id, output });
          }
        }
        return null;
      };
      const set = loadQuestionSet(file).questions;
      const counts: Record<TLook, { found: number; total: number; same: number; asked: number }> = {
        terminal: { found: 0, total: 0, same: 0, asked: 0 },
        page: { found: 0, total: 0, same: 0, asked: 0 },
      };
      for (const question of set) {
        const typedPage = await firstCitedPage(question.q);
        for (const look of Object.keys(LOOKS) as TLook[]) {
          const image = await screenshot(pages[look], question.q, look);
          const read = (await ocr.read(image)) ?? '';
          const { found, total } = recovered(question.q, read);
          counts[look].found += found;
          counts[look].total += total;
          // The screenshot alone, as the server makes it a question (the text read, on one line, bounded).
          const asked = await questionWithScreenshots({ ocr: { read: async () => read, stop: async () => {} }, text: '', images: [{ mediaType: 'image/png', data: '' }] });
          const shotPage = await firstCitedPage(asked);
          counts[look].asked += 1;
          if (shotPage === typedPage) counts[look].same += 1;
        }
      }
      for (const look of Object.keys(LOOKS) as TLook[]) {
        const { found, total, same, asked } = counts[look];
        console.log(`${path.basename(file)} ${look.padEnd(8)} words recovered ${(found / total).toFixed(3)} (${found}/${total}); same first page as typed ${(same / asked).toFixed(2)} (${same}/${asked})`);
        for (const key of ['found', 'total', 'same', 'asked'] as const) totals[look][key] += counts[look][key];
      }
      await db.close();
    }
    for (const look of Object.keys(LOOKS) as TLook[]) {
      const { found, total, same, asked } = totals[look];
      console.log(`ALL ${look.padEnd(8)} words recovered ${(found / total).toFixed(3)} (goal 0.95); same first page as typed ${(same / asked).toFixed(2)} (goal 0.80) over ${asked} screenshots`);
    }
  } finally {
    await ocr.stop();
    await browser.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
