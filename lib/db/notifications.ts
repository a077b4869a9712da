import { EventEmitter } from 'node:events';
import type { TNotificationHandler } from './types';

// Notifications within one process: what PGlite (one process by nature) and the supabase-js transport (whose
// PostgREST connection cannot LISTEN) offer. Handlers run on a later tick, as a database notification would.

export type TLocalNotifier = {
  notify(channel: string, payload: string): Promise<void>;
  listen(channel: string, handler: TNotificationHandler): () => void;
  readonly isNotifyShared: false;
};

export function createLocalNotifier(): TLocalNotifier {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    isNotifyShared: false,
    async notify(channel, payload) {
      queueMicrotask(() => emitter.emit(channel, payload));
    },
    listen(channel, handler) {
      emitter.on(channel, handler);
      return () => {
        emitter.off(channel, handler);
      };
    },
  };
}
