import { AppError } from '../../errors';

// The cap on open event streams, per session and per client address, of one process (the site's and /v1's
// streams alike; each door says what its caps are). One stream more is refused with 429 and Retry-After.

/** Retry-After of a stream refused for too many open streams: streams end with their runs, usually soon. */
export const STREAM_LIMIT_RETRY_SECONDS = 5;

export type TStreamClient = { sessionId: string; ip: string };
export type TStreamLimits = { streamsPerSession: number; streamsPerIp: number };

export type TStreamSlots = {
  /** Takes a stream slot for the client, or throws 429; the returned function gives it back (once). */
  admit(client: TStreamClient, limits: TStreamLimits): () => void;
};

export function createStreamSlots(): TStreamSlots {
  const perSession = new Map<string, number>();
  const perIp = new Map<string, number>();
  return {
    admit({ sessionId, ip }, { streamsPerSession, streamsPerIp }) {
      const bySession = perSession.get(sessionId) ?? 0;
      const byIp = perIp.get(ip) ?? 0;
      if (bySession >= streamsPerSession || byIp >= streamsPerIp) {
        throw new AppError('rate_limited', 'Too many open event streams. Close one, or follow this run by polling it.', {
          headers: { 'Retry-After': String(STREAM_LIMIT_RETRY_SECONDS) },
          detail: { limit: bySession >= streamsPerSession ? 'streams_per_session' : 'streams_per_ip' },
        });
      }
      perSession.set(sessionId, bySession + 1);
      perIp.set(ip, byIp + 1);
      let isReleased = false;
      return () => {
        if (isReleased) return;
        isReleased = true;
        const session = (perSession.get(sessionId) ?? 1) - 1;
        const address = (perIp.get(ip) ?? 1) - 1;
        if (session > 0) perSession.set(sessionId, session);
        else perSession.delete(sessionId);
        if (address > 0) perIp.set(ip, address);
        else perIp.delete(ip);
      };
    },
  };
}
