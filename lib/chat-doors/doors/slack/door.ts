import { readChoices } from '../../../shared/choices';
import type { TChatDoor, TChatQuestion, TDoorStep } from '../../door';
import type { TInboxRow } from '../../../db/chat-inbox';
import { addMaintainerReplyBySlackConversation, type TSlackChannelType } from '../../../db/slack-answers';
import { DEFAULT_PRIVACY } from '../../../privacy/mask';
import { titleFromQuestion } from '../../../shared/titles';
import { classifySlackError, type TSlackTransport } from '../../../slack/client';
import { FALLBACK_MAINTAINER_NAME, maintainerAnswerProposal } from '../../../slack/text';
import { audiencesOf, type TAudienceMap } from '../../audiences';
import { chatAskOf } from '../../modes';
import { SLACK_DOOR, slackVoter } from './intake';
import type { TMaintainerDirectory } from './maintainers';
import { answerBlocks, HINT_TEXT, isRetryRequest, progressBlocks, slackStyle } from './style';

// Slack as a chat door (lib/chat-doors/door.ts): a question is answered in its Slack thread by one reply of the
// app, posted at once ("Searching the docs…") and updated as the answer grows (chat.update), in mrkdwn. Slack's
// own, all in `question`: a message in an answered thread is sorted first (a maintainer's reply, the asker's
// follow-up, or nothing); an empty mention gets a hint; `retry` runs the thread's last question again. Votes are
// reactions (./intake.ts). Its inbox rows keep the
// team, channel, thread and message in door_data; a Slack thread is one conversation, '<team>:<channel>:<thread ts>'.
// Where a door's conversation can be handed over (isChatHandoffOn, ../../door.ts), an answer is Block Kit blocks
// ending in "Ask the maintainers" (./style.ts).

export type TSlackData = { event_id: string; team_id: string; channel_id: string; channel_type: TSlackChannelType; thread_ts: string; message_ts: string };

export type TSlackDoorDeps = {
  transport: Pick<TSlackTransport, 'postMessage' | 'updateMessage'>;
  getUserName(userId: string): Promise<string | null>;
  maintainers: TMaintainerDirectory;
  followUps: 'asker' | 'mention';
  /** Channel id → its askers' audiences (SLACK_CHANNEL_AUDIENCES). */
  channelAudiences?: TAudienceMap;
  /** HANDOFF_TO names github (isChatHandoffOn): answers carry "Ask the maintainers" (./actions.ts takes the click). */
  isHandoffOn?: boolean;
  /** Someone reads votes (isChatFeedbackRead): the feedback line says the maintainers do. Default: nobody is promised. */
  isFeedbackRead?: boolean;
};

export const ownerOfTeam = (teamId: string) => `slack:${teamId}`;

const slackData = (row: TInboxRow) => row.door_data as TSlackData;

export function createSlackDoor(slack: TSlackDoorDeps): TChatDoor {
  const edit: TChatDoor['edit'] = async (step, row, text, { stopRunId } = {}) => {
    const ts = row.reply_id;
    if (!ts) throw new Error('no reply to update');
    // A research run's progress carries Stop (./stop.ts takes the click).
    const blocks = stopRunId ? progressBlocks(text, stopRunId) : undefined;
    await step.call(() => slack.transport.updateMessage({ channel: slackData(row).channel_id, ts, text, ...(blocks ? { blocks } : {}) }));
  };
  const post: TChatDoor['post'] = async (step, row, text) => {
    const data = slackData(row);
    const { ts } = await step.call(() => slack.transport.postMessage({ channel: data.channel_id, threadTs: data.thread_ts, text }));
    return ts;
  };
  return {
    name: SLACK_DOOR,
    label: 'Slack',
    style: slackStyle({ isFeedbackRead: slack.isFeedbackRead ?? false }),
    isHandoffOffered: slack.isHandoffOn ?? false,
    classifyError(error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === undefined || !String(code).startsWith('slack_')) return null;
      const failure = classifySlackError(error);
      return { type: failure.type, reason: failure.reason, retryAfterMs: failure.type === 'rate_limited' ? failure.retryAfterMs : null };
    },
    async question(step, given) {
      const row = given.kind === 'thread_message' ? await sortThreadMessage(slack, step, given) : given;
      if (!row) return null;
      if (row.text.trim() === '') {
        // A mention without a question: how to ask.
        if (row.reply_id) await edit(step, row, HINT_TEXT);
        const replyId = row.reply_id ?? (await post(step, row, HINT_TEXT));
        await step.step(row, { status: 'done', outcome: 'hint', posted_text: HINT_TEXT, reply_id: replyId });
        return null;
      }
      return slackQuestion(row, slack.channelAudiences ?? {});
    },
    post,
    edit,
    async deliver(step, row, { text, answer, isAnswered }) {
      const ts = row.reply_id;
      if (!ts) throw new Error('no reply to update');
      // Blocks only under an answer: an apology or a refusal is the text alone. Slack keeps a message's blocks
      // when an update names none, so the final reply says [] to drop a research run's Stop.
      const choices = answer ? readChoices(answer.metadata) : [];
      const isAnswer = isAnswered && answer !== undefined && answer.metadata?.refusal !== true;
      const blocks = isAnswer && (slack.isHandoffOn || choices.length > 0) ? answerBlocks(text, answer.id, { isHandoffOn: slack.isHandoffOn, choices }) : [];
      await step.call(() => slack.transport.updateMessage({ channel: slackData(row).channel_id, ts, text, blocks }));
      return { posted_text: text };
    },
  };
}

function slackQuestion(row: TInboxRow, channelAudiences: TAudienceMap): TChatQuestion {
  const data = slackData(row);
  // "research: <question>" asks for a research run (../../modes.ts); its progress edits this reply.
  const { mode, text } = chatAskOf(row.text);
  const isRetry = isRetryRequest(text);
  return {
    // A plain "retry" names no mode: the run it retries keeps its own (a stopped research researches again).
    mode: isRetry && mode === 'quick' ? undefined : mode,
    text,
    // A direct message is no channel of the map: public pages only.
    audiences: audiencesOf(channelAudiences, [data.channel_id]),
    isRetry,
    owner: ownerOfTeam(data.team_id),
    // Per Slack member, as per session on the site; the workspace as a whole is the "address".
    caller: { sessionId: slackVoter(data.team_id, row.asker), ip: `slack:${data.team_id}` },
    messageMetadata: { slack_user: row.asker, slack_ts: data.message_ts },
    conversation: {
      metadata: { threadTitle: titleFromQuestion(text), source: 'slack', slack_channel: data.channel_id, slack_channel_type: data.channel_type },
      doorData: { team_id: data.team_id, channel_id: data.channel_id, thread_ts: data.thread_ts, channel_type: data.channel_type },
      isKept: true,
    },
  };
}

/** A message in an answered thread without a mention: a maintainer's reply, the asker's follow-up, or not the app's. */
async function sortThreadMessage(slack: TSlackDoorDeps, step: TDoorStep, row: TInboxRow): Promise<TInboxRow | null> {
  const { deps } = step;
  const data = slackData(row);
  if (await slack.maintainers.isMaintainer(row.asker)) {
    const name = await slack.getUserName(row.asker);
    const result = await addMaintainerReplyBySlackConversation({
      db: deps.db,
      teamId: data.team_id,
      channelId: data.channel_id,
      threadTs: data.thread_ts,
      slackTs: data.message_ts,
      text: row.text,
      author: { name: name ?? FALLBACK_MAINTAINER_NAME, slackUser: row.asker },
      // The row's text is masked already (./intake.ts); the proposal also leaves out the people it names.
      proposal: maintainerAnswerProposal(row.text, deps.privacy ?? DEFAULT_PRIVACY),
    });
    if (result.status === 'added') deps.log.info({ threadId: result.message.thread_id, messageId: result.message.id }, 'maintainer reply in an answered Slack thread');
    await step.step(row, { status: 'done', outcome: result.status === 'added' ? 'maintainer_reply' : 'ignored' });
    return null;
  }
  if (slack.followUps === 'asker' && row.conversation?.asker === row.asker) return step.step(row, { kind: 'question' });
  await step.step(row, { status: 'done', outcome: 'ignored' });
  return null;
}
