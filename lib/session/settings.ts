// The reader sessions' secret (SESSION_SECRET, read by lib/config.ts): configured, or generated once into DATA_DIR.
export type TSessionSettings = { mode: 'generated' } | { mode: 'configured'; secret: string };
