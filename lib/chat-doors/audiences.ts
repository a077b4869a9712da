import { AUDIENCE_NAME } from '../audiences/paths';
import { optionalString } from '../settings';

// Which audiences a chat door's askers have (issue 57): a map from the service's ids (a Slack channel; a Discord
// server or channel) to audience names, from one variable written `id=audience|audience,id=audience`
// (SLACK_CHANNEL_AUDIENCES, DISCORD_AUDIENCES). An id the map does not name gives none: its askers read the
// public pages only. Nothing an asker writes grants one; only where the question was asked.

export type TAudienceMap = Record<string, string[]>;

/** The zod rule of a `id=a|b,id=c` variable; `idPattern` says what an id of the service looks like. */
export function audienceMapVariable(name: string, idPattern: RegExp, idExample: string) {
  return optionalString.transform((value, context): TAudienceMap => {
    const map: TAudienceMap = {};
    for (const entry of (value ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '')) {
      const index = entry.indexOf('=');
      const id = entry.slice(0, index).trim();
      const audiences = entry.slice(index + 1).split('|').map((audience) => audience.trim());
      if (index <= 0 || !idPattern.test(id) || audiences.some((audience) => !AUDIENCE_NAME.test(audience))) {
        context.addIssue({ code: 'custom', message: `${name} must be entries like ${idExample}=staff|beta (an id, =, audience names separated by |), separated by commas; "${entry}" is not one` });
        return {};
      }
      map[id] = [...new Set([...(map[id] ?? []), ...audiences])];
    }
    return map;
  });
}

/** The audiences of a question asked where `ids` say (a channel, its server): every mapped one's, none when unmapped. */
export function audiencesOf(map: TAudienceMap, ids: readonly (string | undefined | null)[]): string[] {
  const audiences = new Set<string>();
  for (const id of ids) if (id && Object.hasOwn(map, id)) for (const audience of map[id] ?? []) audiences.add(audience);
  return [...audiences].sort();
}
