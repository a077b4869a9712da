import { describe, expect, it } from 'vitest';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import { parseConfig } from '@/lib/config';
import { createModelClient } from '@/lib/model';
import type { TInputItem } from '@/lib/model/types';

// The offline not-covered answer sends readers to the maintainers only when the configuration has them review every
// conversation (Slack review on); with Slack off no one reads the conversations, and the answer does not claim it.
// The configuration reaches the model as the app builds it (lib/model/index.ts), not through the environment.

async function notCovered(env: Record<string, string>, question: string) {
  const model = createModelClient(parseConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/pa-unused', ...env }));
  const input: TInputItem[] = [
    { type: 'message', role: 'user', content: question },
    { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: question }) },
    { type: 'function_call_output', call_id: 'c1', output: JSON.stringify({ query: question, evidence: 'weak', results: [] }) },
  ];
  const response = await model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS });
  if (response.output.type !== 'message') throw new Error('expected a message');
  return response.output.text;
}

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_CHANNEL_ID: 'C0123456789', SITE_URL: 'https://docs.example.com' };

describe('the offline not-covered answer', () => {
  it('with Slack off, says nothing of maintainers reading conversations (in any language)', async () => {
    const english = await notCovered({}, 'What is the capital of France?');
    expect(english).toContain("The docs don't cover this");
    expect(english).toContain('ask again naming the component, prop or page you mean.');
    expect(english).not.toMatch(/maintainers|read every conversation/);
    expect(await notCovered({}, 'Pourquoi est-ce que le composant ne marche pas sur mon téléphone ?')).not.toMatch(/mainteneurs|chaque conversation/);
  });

  it('with Slack review on, sends the reader to the maintainers, who read every conversation', async () => {
    const text = await notCovered(SLACK, 'What is the capital of France?');
    expect(text).toContain('or ask the maintainers, who read every conversation.');
  });
});
