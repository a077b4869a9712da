// `npx tsx scripts/eval-choices.ts`: how often the offline answer offers clarifying choices (issue 71 item 4) on each
// question set, at several margins (ANSWER_CHOICE.choiceMargin in lib/model/offline/answer.ts), and which questions get
// them at the default. Each question of these sets has its right pages, so a choice should be rare. The searches run
// once per question; each margin composes the answer again from their results. Needs ../shared/corpora (the Paste,
// Vite and pnpm docs).
import path from 'node:path';
import { createAssistantTools, TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import { createLogger } from '@/lib/log';
import { createOfflineModel } from '@/lib/model/offline';
import { ANSWER_CHOICE } from '@/lib/model/offline/answer';
import type { TInputItem } from '@/lib/model/types';
import { PUBLIC_ACCESS } from '@/lib/audiences';
import { indexIntoMemory, loadQuestionSet } from './lib/search-eval';
const MARGINS = [0.8, 0.85, 0.9, 0.95];
const DEFAULT_MARGIN = ANSWER_CHOICE.choiceMargin;
async function run(docs: string, sets: string[]) {
  const { db } = await indexIntoMemory(path.resolve(docs));
  const tools = createAssistantTools({ db, log: createLogger({ level: 'silent' }), embedder: null, siteUrl: 'http://localhost:3000', hasCodeSource: false });
  const model = createOfflineModel();
  for (const file of sets) {
    const fired = MARGINS.map(() => 0);
    const qs = loadQuestionSet(file).questions;
    for (const question of qs) {
      const input: TInputItem[] = [{ type: 'message', role: 'user', content: question.q }];
      for (let round = 0; round < 3; round += 1) {
        const response = await model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS });
        if (response.output.type === 'message') break;
        for (const call of response.output.calls) {
          input.push({ type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments });
          const output = await tools.run({ id: call.call_id, type: 'function', function: { name: call.name, arguments: call.arguments } }, { access: PUBLIC_ACCESS });
          input.push({ type: 'function_call_output', call_id: call.call_id, output });
        }
      }
      for (const [i, m] of MARGINS.entries()) {
        ANSWER_CHOICE.choiceMargin = m;
        const r = await model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS });
        if (r.output.type === 'message' && r.output.metadata?.choices) {
          fired[i] = (fired[i] ?? 0) + 1;
          if (m === DEFAULT_MARGIN) console.log(`   ${path.basename(file)} "${question.q.slice(0, 80)}" -> ${JSON.stringify((r.output.metadata.choices as { label: string }[]).map((c) => c.label))} expected ${question.pages.join(',')}`);
        }
      }
    }
    ANSWER_CHOICE.choiceMargin = DEFAULT_MARGIN;
    console.log(`${file} (${qs.length} questions), choices offered at margin ${MARGINS.map((m, i) => `${m}: ${fired[i]}`).join('  ')}`);
  }
  await db.close();
}
async function main() {
  await run('../shared/corpora/paste-docs', ['evals/paste-docs.json', 'evals/paste-real.json', 'evals/checks/paste-paraphrases.json', 'evals/checks/paste-plain-words.json']);
  await run('content/docs', ['evals/own-docs.json', 'evals/own-docs-heldout.json']);
  await run('../shared/corpora/vite-docs', ['evals/vite-real.json']);
  await run('../shared/corpora/pnpm-docs', ['evals/pnpm-real.json']);
}
void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
