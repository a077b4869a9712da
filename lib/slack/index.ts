import type { TConfig } from '../config';
import type { TMessageRow, TThreadRow } from '../db/rows';
import type { TLogger } from '../log';

// What the runtime tells the maintainers' Slack. Calls never throw and never delay a reader's request.
export type TSlackNotifier = {
  mode: TConfig['slack']['mode'];
  onThreadCreated(args: { thread: TThreadRow }): void;
  onMessage(args: { threadId: string; message: TMessageRow }): void;
  onAnswer(args: { threadId: string; runId: string }): void;
};

export function createSlackNotifier({ config, log }: { config: TConfig; log: TLogger }): TSlackNotifier {
  // Until delivery exists, say what would have been posted (ids only: message text stays out of logs).
  return {
    mode: config.slack.mode,
    onThreadCreated: ({ thread }) => log.debug({ threadId: thread.id, slack: config.slack.mode }, 'slack: thread created'),
    onMessage: ({ threadId, message }) => log.debug({ threadId, messageId: message.id, slack: config.slack.mode }, 'slack: message'),
    onAnswer: ({ threadId, runId }) => log.debug({ threadId, runId, slack: config.slack.mode }, 'slack: answer'),
  };
}
