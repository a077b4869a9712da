// The Node flags the production server runs with: `npm start` (scripts/start.mjs) and the benches and tests that
// start `next start` themselves (scripts/lib/next-server.ts). Plain JavaScript (typed by server-flags.d.mts)
// because scripts/start.mjs runs in plain Node.
//
// A larger young generation: a search allocates a few MB that live only while its request does, but under
// concurrency those requests overlap, so with V8's default (16 MB semi-spaces) their objects outlive two
// scavenges and are promoted to the old generation, which then grows to hundreds of MB of garbage before a full
// collection: measured at ten times the Paste docs with 8 searches at once, the server's resident memory was
// 720–920 MB with the default and 560–630 MB with 32 MB. NODE_OPTIONS, when it sets the size, wins.
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=32'];

/** The flags, minus those the environment's NODE_OPTIONS already sets. */
export function serverNodeFlags(nodeOptions) {
  const chosen = (nodeOptions ?? '').split(/\s+/).map((flag) => flag.split('=')[0]);
  return SERVER_NODE_FLAGS.filter((flag) => !chosen.includes(flag.split('=')[0]));
}
