import { describe, expect, it } from 'vitest';
import { withoutChoices } from '@/lib/chat-doors/doors/slack/choices';
import { answerBlocks } from '@/lib/chat-doors/doors/slack/style';

// Once a choice is taken in Slack (lib/chat-doors/doors/slack/choices.ts), the message the buttons are on is rewritten
// without them: its text and sections as they were, the hand-off's button kept where there is one.

const CHOICES = [
  { label: 'Popover', question: 'Popover: how do I make a popup?' },
  { label: 'Modal', question: 'Modal: how do I make a popup?' },
];

describe('a Slack answer without its choice buttons', () => {
  it('keeps the sections and the hand-off button, and drops the choices', () => {
    const blocks = answerBlocks('Use a Popover.', 'msg_1', { isHandoffOn: true, choices: CHOICES }) as Record<string, unknown>[];
    const result = withoutChoices({ text: 'Use a Popover.', blocks });
    expect(result.replaceMessage?.text).toBe('Use a Popover.');
    expect(result.replaceMessage?.blocks).toEqual(answerBlocks('Use a Popover.', 'msg_1', { isHandoffOn: true }));
  });

  it('drops the actions row the choices held alone, and asks for nothing when there is nothing to drop', () => {
    const blocks = answerBlocks('Use a Popover.', 'msg_1', { isHandoffOn: false, choices: CHOICES }) as Record<string, unknown>[];
    expect(withoutChoices({ text: 'Use a Popover.', blocks }).replaceMessage?.blocks).toEqual(answerBlocks('Use a Popover.', 'msg_1', { isHandoffOn: false }));
    expect(withoutChoices({ text: 'Use a Popover.', blocks: answerBlocks('Use a Popover.', 'msg_1', { isHandoffOn: true }) as Record<string, unknown>[] })).toEqual({});
    expect(withoutChoices(null)).toEqual({});
  });
});
