// The application commands, as `npm run discord:register` registers them (PUT /applications/{id}/commands) and
// the interactions endpoint recognises them. Both work in servers and in direct messages with the bot.

/**
 * `/ask question: … [mode: Research]` — a slash command (type 1): a required string option, and `mode` (issue 71)
 * choosing a research run (several searches, whole pages read, its steps shown as it works) or the quick answer.
 */
export const ASK_COMMAND = {
  name: 'ask',
  type: 1,
  description: 'Ask the docs a question; in a thread started by an answer, continue that conversation',
  options: [
    { type: 3, name: 'question', description: 'What you want to know', required: true, max_length: 4000 },
    {
      type: 3,
      name: 'mode',
      description: 'Research: several searches and whole pages read (about 30 s); Quick (the default): one search',
      required: false,
      choices: [
        { name: 'Research', value: 'research' },
        { name: 'Quick', value: 'quick' },
      ],
    },
  ],
  contexts: [0, 1],
  integration_types: [0],
} as const;

/** "Ask the docs" in a message's Apps menu — a message command (type 3): the message's text is the question. */
export const ASK_MESSAGE_COMMAND = { name: 'Ask the docs', type: 3, contexts: [0, 1], integration_types: [0] } as const;

export const DISCORD_COMMANDS = [ASK_COMMAND, ASK_MESSAGE_COMMAND];

/** The custom_id of an answer's vote buttons: `pa_vote:up:<message id>`. */
export const VOTE_PREFIX = 'pa_vote';
/** The custom_id of "Ask the maintainers" under an answer: `pa_handoff:<answer id>` (lib/handoff). */
export const HANDOFF_PREFIX = 'pa_handoff';
/** The custom_id of Stop under a research run's progress: `pa_stop:<run id>` (./stop.ts). */
export const STOP_PREFIX = 'pa_stop';
