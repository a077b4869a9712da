import { ConfigError, defineSettings, intInRange, optionalString } from '../settings';
import { parseEmbedOrigins, type TEmbedOrigins } from './origins';

// The embed (widget.js): the sites whose pages may embed the assistant (origins, comma separated, or `*` alone for
// any site; unset: embedding is off), and how long an embedded reader's session token lasts.

export type TEmbedConfig = { origins: TEmbedOrigins; sessionSeconds: number };

export const embedSettings = defineSettings(
  {
    EMBED_ALLOWED_ORIGINS: optionalString,
    EMBED_SESSION_DAYS: intInRange(30, 1, 365),
  },
  (env): { embed: TEmbedConfig } => {
    const origins = parseEmbedOrigins(env.EMBED_ALLOWED_ORIGINS);
    if ('error' in origins) throw new ConfigError(origins.error);
    return { embed: { origins, sessionSeconds: env.EMBED_SESSION_DAYS * 86_400 } };
  },
);
