import { describe, expect, it } from 'vitest';
import { isChatFeedbackRead, isChatHandoffOn } from '@/lib/chat-doors/door';
import { discordStyle } from '@/lib/chat-doors/doors/discord/style';
import { answerBlocks, HANDOFF_ACTION_ID, slackStyle } from '@/lib/chat-doors/doors/slack/style';
import { parseConfig } from '@/lib/config';

// What a chat door says under an answer promises only what is configured (issue 56: "wording says only what is
// configured"): "tell the maintainers" only where someone reads votes (the dashboard opens with MAINTAINER_TOKEN, the
// weekly digest posts them, or the review channel shows the door's conversations: Discord's, never Slack's own).
// And an answer in Slack, with hand-offs on, is Block Kit: its text in sections within Slack's 3,000 characters, then
// "Ask the maintainers".

const config = (env: Record<string, string>) => parseConfig({ NODE_ENV: 'test', DATA_DIR: '/tmp/pa-unused', ...env });
const SLACK = { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_CHANNEL_ID: 'C0123456789', SLACK_SIGNING_SECRET: 'a-signing-secret' };

describe('the feedback line of chat doors', () => {
  it('promises the maintainers only where votes are read', () => {
    const slackDoor = { isInReviewChannel: false };
    const discordDoor = { isInReviewChannel: true };
    for (const door of [slackDoor, discordDoor]) {
      expect(isChatFeedbackRead(config({}), door)).toBe(false);
      expect(isChatFeedbackRead(config({ ...SLACK, SLACK_DIGEST: 'weekly' }), door)).toBe(true);
      expect(isChatFeedbackRead(config({ MAINTAINER_TOKEN: 'maintainer-token-0123456789' }), door)).toBe(true);
      expect(isChatFeedbackRead(undefined, door)).toBe(false);
    }
    // The review channel shows Discord's conversations (and their votes), not Slack's own.
    expect(isChatFeedbackRead(config(SLACK), slackDoor)).toBe(false);
    expect(isChatFeedbackRead(config(SLACK), discordDoor)).toBe(true);
  });

  it('says "tell the maintainers" when they read votes, and asks for a vote without a reader otherwise', () => {
    for (const style of [slackStyle({ isFeedbackRead: true }), discordStyle({ isFeedbackRead: true })]) expect(style.texts.feedback).toMatch(/[Tt]ell the maintainers/);
    expect(slackStyle({ isFeedbackRead: false }).texts.feedback).toBe('_Did this help? React with :+1: or :-1:._');
    expect(discordStyle({ isFeedbackRead: false }).texts.feedback).toBe('-# Did this help? Say so with 👍 or 👎 below.');
    for (const style of [slackStyle({ isFeedbackRead: false }), discordStyle({ isFeedbackRead: false })]) expect(style.texts.feedback).not.toMatch(/maintainer/i);
  });
});

describe('an answer in Slack with "Ask the maintainers"', () => {
  it('is offered only where a channel can take the door’s conversation: github, or slack for a door the review channel shows', () => {
    const slackDoor = { isInReviewChannel: false };
    const discordDoor = { isInReviewChannel: true };
    for (const door of [slackDoor, discordDoor]) {
      expect(isChatHandoffOn({ handoff: { channels: ['github'] } }, door)).toBe(true);
      expect(isChatHandoffOn({ handoff: { channels: ['slack', 'github', 'email'] } }, door)).toBe(true);
      expect(isChatHandoffOn(config({}), door)).toBe(false);
    }
    expect(isChatHandoffOn({ handoff: { channels: ['slack', 'email'] } }, slackDoor)).toBe(false);
    expect(isChatHandoffOn({ handoff: { channels: ['slack', 'email'] } }, discordDoor)).toBe(true);
  });

  it('is its text in mrkdwn sections of at most 3,000 characters, then the button naming the answer', () => {
    const text = Array.from({ length: 80 }, (_, index) => `Line ${index} ${'x'.repeat(90)}`).join('\n');
    const blocks = answerBlocks(text, 'msg_abc123');
    const sections = blocks.slice(0, -1) as { type: string; text: { type: string; text: string; verbatim: boolean } }[];
    expect(sections.length).toBeGreaterThan(2);
    for (const section of sections) {
      expect(section).toMatchObject({ type: 'section', text: { type: 'mrkdwn', verbatim: true } });
      expect(section.text.text.length).toBeLessThanOrEqual(3000);
    }
    expect(sections.map((section) => section.text.text).join('\n')).toContain('Line 79');
    expect(blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [{ type: 'button', action_id: HANDOFF_ACTION_ID, text: { type: 'plain_text', text: 'Ask the maintainers' }, value: 'msg_abc123' }],
    });
  });
});
