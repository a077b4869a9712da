import { createInboxWorker, NO_INBOX_WORKER, type TInboxWorker } from '../../chat-doors/worker';
import type { TDoorDeps, TInboxOptions } from '../../chat-doors/door';
import type { TConfig } from '../../config';
import type { TLogger } from '../../log';
import { createSlackTransport, type TSlackTransport } from '../client';
import { createSlackDoor } from './door';
import { createMaintainerDirectory } from './maintainers';

/** The Slack door's inbox worker when answers in Slack are on (SLACK_ANSWERS, with the signing secret), else a no-op. */
export function createSlackAnswersFor({
  config,
  log,
  workerId,
  options,
  transport: given,
  getUserName,
  deps,
}: {
  config: TConfig;
  log: TLogger;
  workerId: string;
  options: Partial<TInboxOptions>;
  transport?: TSlackTransport;
  getUserName(userId: string): Promise<string | null>;
  deps: TDoorDeps;
}): TInboxWorker {
  const slack = config.slack;
  if (slack.mode !== 'enabled' || !slack.answers) return NO_INBOX_WORKER;
  const transport = given ?? createSlackTransport({ token: slack.token, channelId: slack.channelId, apiUrl: slack.apiUrl, log });
  const maintainers = createMaintainerDirectory({
    ids: slack.answers.maintainerIds,
    groupId: slack.answers.maintainerGroup,
    listGroupMembers: (groupId) => transport.listUserGroupMembers(groupId),
    log,
  });
  const door = createSlackDoor({ transport, maintainers, getUserName, followUps: slack.answers.followUps });
  return createInboxWorker({ door, deps, workerId, options });
}
