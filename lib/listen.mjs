// Where `npm start` and `npm run dev` listen: PORT (default 3000) and HOST, or HOSTNAME, (default: every
// interface). Plain JavaScript (typed by listen.d.mts) because scripts/start.mjs runs in plain Node.

export const DEFAULT_PORT = 3000;

/**
 * The port and host from `env`, or a one-line error. HOSTNAME counts only when it is not this machine's own name
 * (`machineName`): shells and Docker set it to that without anyone choosing it, and bound to a container's
 * name the server would not answer on 127.0.0.1 inside it.
 */
export function resolveListenAddress(env, machineName) {
  const rawPort = (env.PORT ?? '').trim() || String(DEFAULT_PORT);
  const port = Number(rawPort);
  if (!/^\d{1,5}$/.test(rawPort) || port < 1 || port > 65_535) {
    return { error: `PORT must be a port number from 1 to 65535 (got ${JSON.stringify(env.PORT)}).` };
  }
  const host = (env.HOST ?? '').trim();
  if (host !== '') return { port, host };
  const hostname = (env.HOSTNAME ?? '').trim();
  if (hostname !== '' && hostname !== machineName) return { port, host: hostname };
  return { port, host: null };
}

/** The arguments of `next start` / `next dev` for that address; no -H means every interface. */
export function nextListenArgs({ port, host }) {
  return ['-p', String(port), ...(host ? ['-H', host] : [])];
}
