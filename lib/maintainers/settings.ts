import { defineSettings, intInRange, optionalString } from '../settings';

// The maintainers' settings: how long the signed transcript and report links stay valid, and the token that opens
// the dashboard (Authorization: Bearer, or its sign-in form) besides the signed links. Drafted docs fixes have
// their own (./gaps/settings.ts).

export const maintainersSettings = defineSettings(
  {
    MAINTAINER_LINK_TTL_DAYS: intInRange(30, 1, 365),
    MAINTAINER_TOKEN: optionalString.refine((value) => value === undefined || value.length >= 16, {
      message: 'MAINTAINER_TOKEN must be at least 16 characters',
    }),
  },
  (env): { maintainers: { linkTtlSeconds: number; token?: string } } => ({
    maintainers: { linkTtlSeconds: env.MAINTAINER_LINK_TTL_DAYS * 86_400, token: env.MAINTAINER_TOKEN },
  }),
);
