import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentile } from './next-server';

// What this machine charges for waking up, beside figures that depend on it. A request pipeline that waits for a
// model spends most of its time idle, and on this VM the first work after an idle spell runs several times slower
// than the same work done back to back (cold caches, a vCPU woken by the host), by an amount that changes over
// hours with the host's load. A trivial HTTP round trip on 127.0.0.1, back to back and after 100 ms idle, puts a
// number on that state, so that a reader can compare runs of an overhead figure taken hours apart.

export type TWakeCost = { hotMs: number; afterIdleMs: number };

export async function measureWakeCost({ samples = 40, idleMs = 100 }: { samples?: number; idleMs?: number } = {}): Promise<TWakeCost> {
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const roundTrip = async () => {
    const started = performance.now();
    await (await fetch(url)).text();
    return performance.now() - started;
  };
  try {
    for (let index = 0; index < 20; index += 1) await roundTrip();
    const hot: number[] = [];
    for (let index = 0; index < samples * 5; index += 1) hot.push(await roundTrip());
    const afterIdle: number[] = [];
    for (let index = 0; index < samples; index += 1) {
      await new Promise((resolve) => setTimeout(resolve, idleMs));
      afterIdle.push(await roundTrip());
    }
    return { hotMs: percentile(hot, 50), afterIdleMs: percentile(afterIdle, 50) };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
