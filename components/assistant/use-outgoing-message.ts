import type { TStoredImage } from '@/lib/shared/images';
import { readRemovedKinds } from '@/lib/shared/privacy';
import { useCallback, useState } from 'react';
import { messageText, type TMessage } from './api';

// The reader's message while it is being sent, shown at once (optimistically), per thread: switching threads
// mid-send neither mixes threads nor locks the composer of another thread.

export type TOutgoingMessage = {
  /** The text being sent in this thread, until the request ends. */
  sendingText: string | null;
  /** The text to show as the reader's message: hidden as soon as the server's copy is in the list. */
  pendingText: string | null;
  /** The screenshots sent with it, shown with it while it is pending. */
  pendingImages: TStoredImage[];
  /** `knownIds`: the ids of the messages the thread had when it was sent (the server's copy is a new one). */
  begin(threadId: string, text: string, knownIds: string[], images?: TStoredImage[]): void;
  end(threadId: string): void;
};

const NO_IMAGES: TStoredImage[] = [];

export function useOutgoingMessage({ threadId, messages }: { threadId: string | null; messages: TMessage[] }): TOutgoingMessage {
  const [sending, setSending] = useState<Record<string, { text: string; knownIds: string[]; images: TStoredImage[] }>>({});
  const pending = threadId ? (sending[threadId] ?? null) : null;
  const sendingText = pending?.text ?? null;
  // Once the server's copy of the message is in the list (a user message that was not there before), the
  // optimistic one is hidden, so the message never shows twice.
  const isEchoed =
    pending !== null &&
    messages.some(
      (message) =>
        message.role === 'user' &&
        !pending.knownIds.includes(message.id) &&
        // The stored copy differs from what was typed when personal data was masked in it, or when the text read in
        // its screenshots was joined to it.
        (messageText(message) === pending.text || readRemovedKinds(message.metadata).length > 0 || pending.images.length > 0),
    );
  const begin = useCallback(
    (id: string, text: string, knownIds: string[], images: TStoredImage[] = []) => setSending((current) => ({ ...current, [id]: { text, knownIds, images } })),
    [],
  );
  const end = useCallback(
    (id: string) =>
      setSending((current) => {
        const next = { ...current };
        delete next[id];
        return next;
      }),
    [],
  );
  return { sendingText, pendingText: isEchoed ? null : sendingText, pendingImages: isEchoed ? [] : (pending?.images ?? NO_IMAGES), begin, end };
}
