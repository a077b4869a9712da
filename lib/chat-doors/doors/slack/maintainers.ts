import type { TLogger } from '../../../log';

// Who counts as a maintainer in a thread the app answers in: the members named in SLACK_MAINTAINER_IDS, and the
// members of the user group SLACK_MAINTAINER_GROUP (usergroups.users.list, remembered for ten minutes; while Slack
// cannot say, the last list known is used, or nobody from the group).

export type TMaintainerDirectory = { isMaintainer(userId: string): Promise<boolean> };

const GROUP_TTL_MS = 10 * 60_000;

export function createMaintainerDirectory({
  ids,
  groupId,
  listGroupMembers,
  log,
  ttlMs = GROUP_TTL_MS,
}: {
  ids: readonly string[];
  groupId?: string;
  listGroupMembers(groupId: string): Promise<string[]>;
  log: TLogger;
  ttlMs?: number;
}): TMaintainerDirectory {
  const named = new Set(ids);
  let group: { members: Set<string>; until: number } | null = null;
  let loading: Promise<Set<string>> | null = null;

  async function groupMembers(id: string): Promise<Set<string>> {
    if (group && group.until > Date.now()) return group.members;
    loading ??= listGroupMembers(id)
      .then((members) => {
        group = { members: new Set(members), until: Date.now() + ttlMs };
        return group.members;
      })
      .catch((error: unknown) => {
        log.warn({ err: error instanceof Error ? error.message : String(error), groupId: id }, 'slack: could not list the maintainers group');
        return group?.members ?? new Set<string>();
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  return {
    async isMaintainer(userId) {
      if (named.has(userId)) return true;
      return groupId ? (await groupMembers(groupId)).has(userId) : false;
    },
  };
}
