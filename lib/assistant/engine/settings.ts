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
};

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
    },
  }),
);
