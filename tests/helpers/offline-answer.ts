import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import { createOfflineModel } from '@/lib/model/offline';

/** The offline model's answer to `question` after its get_relevant_docs call returned `results` (strong evidence). */
export async function offlineAnswerTo(question: string, results: object[]) {
  const response = await createOfflineModel().respond({
    instructions: '',
    tools: TOOL_DEFINITIONS,
    input: [
      { type: 'message', role: 'user', content: question },
      { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: question }) },
      { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: question, evidence: 'strong', results }) },
    ],
  });
  if (response.output.type !== 'message') throw new Error('expected a message');
  return response.output;
}
