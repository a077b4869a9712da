import { titleFromQuestion } from '../../shared/titles';
import type { TModelClient } from '../types';
import { emitInPieces, wait } from './pacing';
import { respondOffline } from './respond';
import { respondResearchOffline } from './research';

// The built-in model: no network, no keys. It asks for a docs search (the tool that declares the role 'search',
// whatever its name: lib/model/types.ts, TToolDeclaration) with the reader's question (and, for a long
// question, a second with its opening sentence), then answers with the best section as an excerpt (a second on the
// same topic), and links to the other matches; when a GitHub thread is the best source, it leads with the
// maintainers' reply and where the thread stands. Deterministic: the same question and docs give the same answer.
//
// In parts, one responsibility each: respond.ts (a turn: ask for the searches, or answer from their results),
// queries.ts (what to search for), answer.ts (the answer from the results), excerpt.ts (a section quoted),
// pacing.ts (the answer delivered in pieces). This file puts them together as a model client.

export { composeAnswer, fuseRankings, isSameTopic } from './answer';
export { excerpt } from './excerpt';
export { emitInPieces } from './pacing';
export { isFollowUp, openingSentence, searchQueriesFor, searchQueryFor } from './queries';
export { OFFLINE_NO_DOCS_TOOL_TEXT, offlineNoMatchText } from './respond';

/**
 * `delayMs` (OFFLINE_MODEL_DELAY_MS, for tests and demos) makes each response wait, as a slow model would;
 * `pieceMs` (OFFLINE_MODEL_PIECE_MS) spaces the words of the streamed answer, as a model writing it would.
 */
export function createOfflineModel({ delayMs = 0, pieceMs = 0 }: { delayMs?: number; pieceMs?: number } = {}): TModelClient {
  return {
    name: 'offline',
    mode: 'offline',
    // A not-covered answer names "Ask the maintainers" only where the run's door shows it (`isHandoffOffered`).
    async respond({ input, tools, isHandoffOffered = false, research, onDelta, signal }) {
      if (delayMs > 0) await wait(delayMs, signal);
      const searchTool = tools.find((tool) => tool.declares?.role === 'search')?.name ?? null;
      // A research run (issue 71) takes its own steps (research.ts); a client's run without the docs search cannot.
      const response =
        research && (searchTool !== null || research.bound !== null)
          ? respondResearchOffline(input, tools, research, { isHandoffOn: isHandoffOffered })
          : respondOffline(input, searchTool, { isHandoffOn: isHandoffOffered });
      if (response.output.type === 'message' && onDelta) await emitInPieces(response.output.text, onDelta, signal, pieceMs);
      return response;
    },
    async complete({ prompt, context }) {
      return { text: titleFromQuestion(context ?? prompt) };
    },
  };
}
