import { getMessageById } from '../db/messages';
import type { TDb } from '../db/types';
import { readImages, type TStoredImage } from '../shared/images';

// A question's screenshots, for the reader who owns its thread (GET /api/paste-assistant-messages/{thread}/{message}/images).
// The thread's messages carry only their types (readerMetadata): a thread polled while an answer is written would
// otherwise send megabytes each time. Another reader's thread, or a message that is not in it, is a 404, as the
// thread itself is (pa_get_owned_thread).

export type TMessageImages = { object: 'list'; data: TStoredImage[] };

export async function listMessageImagesForCaller({ deps, owner, threadId, messageId }: { deps: { db: TDb }; owner: string; threadId: string; messageId: string }): Promise<TMessageImages> {
  const message = await getMessageById({ db: deps.db, owner, threadId, messageId });
  return { object: 'list', data: message.role === 'user' ? readImages(message.metadata) : [] };
}
