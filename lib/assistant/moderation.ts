import OpenAI from 'openai';
import { withSpan } from '../telemetry';
import type { TModerationConfig } from '../model/settings';
import type { TLogger } from '../log';
import { withRetryDelays } from '../model/client';

// With an OpenAI key configured, every user message goes through OpenAI's moderation endpoint before the
// model sees it. A flagged message is still stored (maintainers review it in Slack), marked in its metadata
// (`flagged: true`, `moderation`), and answered with a polite refusal without calling the model.
//
// If the moderation call itself fails, the message goes through unmoderated (logged): a docs assistant
// should not go dark because a classifier is down, and every conversation is reviewed in Slack anyway.

export const REFUSAL_TEXT =
  "I can't help with that. I'm here to answer questions about this site's documentation — try asking about a " +
  'component, a setup step or an API.';

// One quick retry: a reader is waiting, and an unmoderated message still reaches the maintainers.
const MODERATION_RETRY_BASE_MS = 250;

export type TModerationVerdict = {
  isFlagged: boolean;
  /** The categories that were flagged, e.g. ["harassment"]. */
  categories: string[];
  model: string;
};

export type TModerator = {
  mode: TModerationConfig['mode'];
  /** The verdict on a user's text; null when moderation is off or did not answer. Never throws. */
  check(text: string): Promise<TModerationVerdict | null>;
};

export function createModerator({ config, log }: { config: { moderation: TModerationConfig }; log: TLogger }): TModerator {
  const settings = config.moderation;
  if (settings.mode === 'off') return { mode: 'off', check: async () => null };
  const { model } = settings;

  // Built once, and like the model's client (lib/model/client.ts) only from our config: nothing is
  // read from process.env, so OPENAI_BASE_URL (perhaps a chat server) is never used for moderation.
  const client = new OpenAI({
    apiKey: settings.apiKey,
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    baseURL: settings.baseURL,
    timeout: settings.timeoutMs,
    maxRetries: 1,
    logLevel: 'off',
    fetch: withRetryDelays(MODERATION_RETRY_BASE_MS),
  });
  return {
    mode: 'openai',
    check: (text) =>
      withSpan('moderation', { 'pa.moderation.model': model, 'pa.moderation.text_length': text.length }, async (span) => {
        const verdict = await checkText(text);
        span.setAttributes(verdict ? { 'pa.moderation.flagged': verdict.isFlagged, 'pa.moderation.categories': verdict.categories } : { 'pa.moderation.answered': false });
        return verdict;
      }),
  };

  async function checkText(text: string): Promise<TModerationVerdict | null> {
    try {
      const response = await client.moderations.create({ model, input: text });
      const result = response.results?.[0];
      if (!result) throw new Error('moderation returned no result');
      const categories = Object.entries(result.categories ?? {})
        .filter(([, isSet]) => isSet === true)
        .map(([name]) => name);
      return { isFlagged: result.flagged === true, categories, model: response.model ?? model };
    } catch (error) {
      log.warn({ err: error }, 'moderation unavailable; message not moderated');
      return null;
    }
  }
}

/** What a flagged message carries in its metadata; `flagged` is what Slack looks at. */
export function flaggedMessageMetadata(verdict: TModerationVerdict): Record<string, unknown> {
  return { flagged: true, moderation: { flagged: true, categories: verdict.categories, model: verdict.model } };
}
