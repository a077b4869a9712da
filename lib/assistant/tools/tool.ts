import type { TReaderAccess } from '../../audiences';
import type { z } from 'zod';
import type { TToolDefinition } from '../../model/types';

// One tool of the assistant's, as the registry (./index.ts) holds it: what the model is offered, and how a call
// is run once its arguments are known to fit. A tool file defines one with `defineTool`.

/**
 * What a run knows about the question besides the call: the docs page it was asked about (run metadata `page`), and
 * the version of versioned docs its conversation is about (run metadata `version`, copied from the thread's).
 */
export type TToolContext = {
  page?: string;
  version?: string;
  /**
   * Who asked (lib/audiences), as the run stored it when the question was asked (assistant_run.reader_audiences): the
   * run's searches see what the asker could see then, whatever happened to their identity since. Required: a run of
   * a reader with no identity has PUBLIC_ACCESS.
   */
  access: TReaderAccess;
  /**
   * Where a tool leaves work its output does not wait for (its search's analytics row): a pipelined tool round
   * (lib/assistant/engine/pipeline.ts) does it once the model's next request has left and the round is recorded, as
   * the embedded store runs its queries on the thread that sends that request. Absent: on the next turn of the event loop.
   */
  defer?: (task: () => void) => void;
};

export type TTool = {
  definition: TToolDefinition;
  /** The JSON a call's arguments should look like, told to the model when they do not fit. */
  argumentsExample: string;
  /** The call's arguments (parsed JSON), ready to run when they fit the tool's schema; null when they do not. */
  bind(args: unknown): ((context: TToolContext) => Promise<string>) | null;
};

/** A tool from its definition, the schema of its arguments and its run, which only ever gets arguments that fit. */
export function defineTool<TArgs>({
  definition,
  schema,
  argumentsExample,
  run,
}: {
  definition: TToolDefinition;
  schema: z.ZodType<TArgs>;
  argumentsExample: string;
  run(args: TArgs, context: TToolContext): Promise<string>;
}): TTool {
  return {
    definition,
    argumentsExample,
    bind(args) {
      const parsed = schema.safeParse(args);
      return parsed.success ? (context) => run(parsed.data, context) : null;
    },
  };
}
