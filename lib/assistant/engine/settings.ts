import { defineSettings, intInRange, onOff } from '../../settings';

// The run engine's settings: how long runs live and are leased, how many tool rounds and attempts they get, how
// often the sweeper looks, how long a message's request waits on its run, and the longest answer stored (a model
// that writes more is stopped there and the run ends `incomplete`).

export type TRunsConfig = {
  expirySeconds: number;
  leaseSeconds: number;
  maxToolRounds: number;
  maxAttempts: number;
  sweepSeconds: number;
  waitSeconds: number;
  pollMs: number;
  maxAnswerChars: number;
  /** RUN_PIPELINING: a tool round's next model request leaves before the round is recorded (engine/pipeline.ts). */
  isPipelined: boolean;
  /** Research runs' bounds (issue 71); absent in a configuration built by hand: RESEARCH_DEFAULTS. */
  research?: TResearchConfig;
};

/**
 * A research run's bounds: `maxSteps` model steps (each a round of searches and reads, then the answer), `maxSeconds`
 * from when it was queued, `maxTokens` the model may spend on it; past any of them it answers from what it has and
 * says so. `cost`: what one research question takes from the reader's hourly quotas (a quick one takes 1).
 */
export type TResearchConfig = { maxSteps: number; maxSeconds: number; maxTokens: number; cost: number };

export const RESEARCH_DEFAULTS: TResearchConfig = { maxSteps: 8, maxSeconds: 90, maxTokens: 60_000, cost: 3 };

/** The research bounds a configuration gives (its own, or the defaults). */
export function researchOf(runs: Pick<TRunsConfig, 'research'>): TResearchConfig {
  return runs.research ?? RESEARCH_DEFAULTS;
}

export const assistantRunsSettings = defineSettings(
  {
    RUN_EXPIRY_SECONDS: intInRange(600, 10, 86_400),
    RUN_LEASE_SECONDS: intInRange(30, 2, 600),
    RUN_MAX_TOOL_ROUNDS: intInRange(4, 1, 20),
    RUN_MAX_ATTEMPTS: intInRange(3, 1, 10),
    // The pipelined tool round (lib/assistant/engine/pipeline.ts): a step's next model request leaves before its tool
    // round is recorded. Off: the plain path, the round recorded first (slower by a database round trip or two).
    RUN_PIPELINING: onOff('on'),
    // How often each instance's sweeper looks for runs nobody moves, and how long a queued or requires_action
    // run waits for a reader (who would move it at once) before the sweeper moves it.
    RUN_SWEEP_SECONDS: intInRange(2, 1, 600),
    MESSAGE_WAIT_SECONDS: intInRange(25, 1, 120),
    MAX_ANSWER_CHARS: intInRange(32_000, 100, 1_000_000),
    // Research runs (issue 71): the steps, seconds and model tokens one may take before it answers from what it has,
    // and how many questions of the reader's hourly quota it counts as.
    RESEARCH_MAX_STEPS: intInRange(RESEARCH_DEFAULTS.maxSteps, 2, 20),
    RESEARCH_MAX_SECONDS: intInRange(RESEARCH_DEFAULTS.maxSeconds, 5, 600),
    RESEARCH_MAX_TOKENS: intInRange(RESEARCH_DEFAULTS.maxTokens, 1000, 2_000_000),
    RESEARCH_COST: intInRange(RESEARCH_DEFAULTS.cost, 1, 20),
  },
  (env): { runs: TRunsConfig } => ({
    runs: {
      expirySeconds: env.RUN_EXPIRY_SECONDS,
      leaseSeconds: env.RUN_LEASE_SECONDS,
      maxToolRounds: env.RUN_MAX_TOOL_ROUNDS,
      maxAttempts: env.RUN_MAX_ATTEMPTS,
      sweepSeconds: env.RUN_SWEEP_SECONDS,
      waitSeconds: env.MESSAGE_WAIT_SECONDS,
      pollMs: 500,
      maxAnswerChars: env.MAX_ANSWER_CHARS,
      isPipelined: env.RUN_PIPELINING === 'on',
      research: { maxSteps: env.RESEARCH_MAX_STEPS, maxSeconds: env.RESEARCH_MAX_SECONDS, maxTokens: env.RESEARCH_MAX_TOKENS, cost: env.RESEARCH_COST },
    },
  }),
);
