import { defineSettings, optionalString } from '../../settings';

// The assistant's panel for the site it serves (./intro.ts): its name, its introduction, and suggested questions
// separated by `|`. Each wins over site.config.json; unset, they come from the docs (or the indexed site).

export type TAssistantPanelConfig = { name?: string; intro?: string; suggestions?: string[] };

export const assistantPanelSettings = defineSettings(
  {
    ASSISTANT_NAME: optionalString.refine((value) => value === undefined || value.length <= 60, { message: 'ASSISTANT_NAME must be at most 60 characters' }),
    ASSISTANT_INTRO: optionalString.refine((value) => value === undefined || value.length <= 600, { message: 'ASSISTANT_INTRO must be at most 600 characters' }),
    ASSISTANT_SUGGESTIONS: optionalString.refine((value) => value === undefined || value.split('|').every((question) => question.trim().length <= 200), {
      message: 'ASSISTANT_SUGGESTIONS must be questions of at most 200 characters, separated by |',
    }),
  },
  (env): { assistant: TAssistantPanelConfig } => ({
    assistant: {
      name: env.ASSISTANT_NAME,
      intro: env.ASSISTANT_INTRO,
      suggestions: env.ASSISTANT_SUGGESTIONS?.split('|').map((question) => question.trim()).filter((question) => question !== ''),
    },
  }),
);
