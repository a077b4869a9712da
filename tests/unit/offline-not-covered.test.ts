import { describe, expect, it } from 'vitest';
import { assistantInstructions, INSTRUCTIONS } from '@/lib/assistant/instructions';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import { parseConfig } from '@/lib/config';
import { createModelClient } from '@/lib/model';
import type { TInputItem } from '@/lib/model/types';

// The offline not-covered answer sends readers to the maintainers only when they can be asked (the run's door shows
// "Ask the maintainers": the request's `isHandoffOffered`, set by the engine from HANDOFF_TO and the door, as
// tests/integration/handoff-wording.network.test.ts checks door by door); it never claims that anyone reads every
// conversation, Slack review on or off (issue 56: "ask the maintainers, who read every conversation" when nobody does).
// The model is built from the configuration as the app builds it (lib/model/index.ts).

async function notCovered(env: Record<string, string>, question: string, { isHandoffOffered = false, output = { query: question, evidence: 'weak', results: [] } as object } = {}) {
  const model = createModelClient(parseConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/pa-unused', ...env }));
  const input: TInputItem[] = [
    { type: 'message', role: 'user', content: question },
    { type: 'function_call', call_id: 'c1', name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: question }) },
    { type: 'function_call_output', call_id: 'c1', output: JSON.stringify(output) },
  ];
  const response = await model.respond({ instructions: '', input, tools: TOOL_DEFINITIONS, isHandoffOffered });
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

  it('with Slack review on but no hand-off, claims no reader of every conversation', async () => {
    const text = await notCovered(SLACK, 'What is the capital of France?');
    expect(text).toContain('ask again naming the component, prop or page you mean.');
    expect(text).not.toMatch(/maintainers|read every/);
  });

  it('with the hand-off offered, points to “Ask the maintainers”, and the model’s instructions say the same', async () => {
    const offered = { isHandoffOffered: true };
    const text = await notCovered({ ...SLACK, HANDOFF_TO: 'slack' }, 'What is the capital of France?', offered);
    expect(text).toContain('or hand your question to the maintainers with “Ask the maintainers”.');
    expect(text).not.toMatch(/read every/);
    expect(await notCovered({ ...SLACK, HANDOFF_TO: 'slack' }, 'Pourquoi est-ce que le composant ne marche pas sur mon téléphone ?', offered)).toMatch(
      // The button named as the French panel labels it.
      /mainteneurs avec « Demander aux mainteneurs »/,
    );
    // Not offered by the run's door: not named, whatever HANDOFF_TO says.
    expect(await notCovered({ ...SLACK, HANDOFF_TO: 'slack' }, 'What is the capital of France?')).not.toMatch(/maintainers/);
    expect(assistantInstructions({ isHandoffOn: true })).toContain('"Ask the maintainers" button');
    for (const isHandoffOn of [true, false]) expect(assistantInstructions({ isHandoffOn })).not.toMatch(/read every|\{maintainers\}/);
    expect(INSTRUCTIONS).not.toMatch(/maintainers/);
  });

  it('a near miss (the question names what the docs never mention) names the button too, where it is offered, in the reader’s language (issue 67, 3.4)', async () => {
    const question = 'Can I fax a transcript from the Button?';
    const output = {
      query: question,
      evidence: 'strong',
      not_in_docs: ['fax'],
      results: [{ title: 'Button', heading: 'Button', url: '/docs/components/button', content: 'A button lets a reader take an action, such as printing a transcript.' }],
    };
    const offered = await notCovered({ HANDOFF_TO: 'github', HANDOFF_GITHUB_REPO: 'acme/q', GITHUB_TOKEN: 'x' }, question, { isHandoffOffered: true, output });
    expect(offered).toContain("The docs don't mention fax.");
    expect(offered).toContain('If none of this is what you need, hand your question to the maintainers with “Ask the maintainers”.');
    expect(await notCovered({}, question, { output })).not.toMatch(/maintainers/);
    const french = 'Puis-je envoyer une transcription par fax depuis le Button ?';
    const inFrench = await notCovered({}, french, { isHandoffOffered: true, output: { ...output, query: french } });
    expect(inFrench).toContain('transmettez votre question aux mainteneurs avec « Demander aux mainteneurs ».');
  });
});
