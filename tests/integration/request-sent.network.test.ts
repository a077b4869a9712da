import diagnostics from 'node:diagnostics_channel';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whenRequestSent } from '@/lib/model/request-sent';

// lib/model/request-sent.ts: the run engine's "the model's request has left", from Node's fetch (undici) writing a
// request's body, against a server on 127.0.0.1 that holds its answers until the test lets them go.

const NEVER_MS = 60_000;

let baseUrl: string;
const arrived: string[] = [];
const held = new Map<string, () => void>();
let server: http.Server;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrived.push(req.url ?? '');
      held.set(req.url ?? '', () => res.end('ok'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const release of held.values()) release();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const state = (promise: Promise<unknown>) => {
  const seen = { isSettled: false };
  void promise.then(
    () => (seen.isSettled = true),
    () => (seen.isSettled = true),
  );
  return seen;
};

const post = (name: string) => fetch(`${baseUrl}/${name}`, { method: 'POST', body: 'x'.repeat(64 * 1024) }).then((response) => response.text());

async function waitFor(check: () => boolean) {
  for (let tries = 0; tries < 500 && !check(); tries += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

describe('whenRequestSent', () => {
  it('resolves once the request is written, long before its answer', async () => {
    const call = whenRequestSent(() => post('one'), NEVER_MS);
    const result = state(call.result);
    await call.sent;
    expect(result.isSettled).toBe(false);
    await waitFor(() => held.has('/one'));
    held.get('/one')!();
    await expect(call.result).resolves.toBe('ok');
  });

  it('counts the body written only after a timer tick, so that work waiting for it never runs in the tick that wrote it', async () => {
    // What ran between the body's writing and `sent`: an immediate set up as the body was written runs before the
    // next timers, so it has run by then only if `sent` waited for a tick (a model server on this machine, woken on
    // this CPU, gets it to read the request before the bookkeeping's queries).
    let isImmediateRun = false;
    const onBodySent = () => setImmediate(() => (isImmediateRun = true));
    diagnostics.subscribe('undici:request:bodySent', onBodySent);
    try {
      const call = whenRequestSent(() => post('tick'), NEVER_MS);
      await call.sent;
      expect(isImmediateRun).toBe(true);
      await waitFor(() => held.has('/tick'));
      held.get('/tick')!();
      await call.result;
    } finally {
      diagnostics.unsubscribe('undici:request:bodySent', onBodySent);
    }
  });

  it('answers for the request made in its own call only, however the calls interleave', async () => {
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const late = whenRequestSent(async () => {
      await gate;
      return post('late');
    }, NEVER_MS);
    const early = whenRequestSent(() => post('early'), NEVER_MS);
    const lateSent = state(late.sent);
    await early.sent;
    await waitFor(() => held.has('/early'));
    // The other call's request was written, this one has not been made.
    expect(lateSent.isSettled).toBe(false);
    expect(arrived).not.toContain('/late');
    openGate();
    await late.sent;
    await waitFor(() => held.has('/late'));
    held.get('/early')!();
    held.get('/late')!();
    await Promise.all([early.result, late.result]);
  });

  it('resolves when a call without an HTTP request settles, when the model answers, or at its bound', async () => {
    let finish: () => void = () => {};
    const plain = whenRequestSent(() => new Promise<string>((resolve) => (finish = () => resolve('done'))), NEVER_MS);
    const plainSent = state(plain.sent);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(plainSent.isSettled).toBe(false);
    finish();
    await plain.sent;

    const failed = whenRequestSent(() => Promise.reject(new Error('could not connect')), NEVER_MS);
    await failed.sent;
    await expect(failed.result).rejects.toThrow('could not connect');

    let markAnswered = () => {};
    const answered = whenRequestSent((mark) => {
      markAnswered = mark;
      return new Promise<string>(() => {});
    }, NEVER_MS);
    const answeredSent = state(answered.sent);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(answeredSent.isSettled).toBe(false);
    markAnswered();
    await answered.sent;

    const startedAt = performance.now();
    const stuck = whenRequestSent(() => new Promise<string>(() => {}), 40);
    await stuck.sent;
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(35);
  });
});
