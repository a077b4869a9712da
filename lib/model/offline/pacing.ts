// How the offline model's answer reaches its readers: composed at once, delivered in pieces as a model writing
// it would (OFFLINE_MODEL_PIECE_MS), after an optional delay (OFFLINE_MODEL_DELAY_MS), both cut short by the
// run's signal.

export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Streams the answer word by word, as a model would, yielding to the event loop (or waiting `pieceMs`)
 * between pieces so that readers of the stream see it grow. The answer is composed at once; only its
 * delivery is in pieces.
 */
export async function emitInPieces(text: string, onDelta: (text: string) => void, signal?: AbortSignal, pieceMs = 0): Promise<void> {
  for (const piece of text.match(/\s*\S+/g) ?? []) {
    if (signal?.aborted) throw signal.reason;
    onDelta(piece);
    if (pieceMs > 0) await wait(pieceMs, signal);
    else await new Promise((resolve) => setImmediate(resolve));
  }
}
