import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '@/scripts/lib/temp-dir';
import { FIXTURE_DOCS_DIR, TEST_SESSION_SECRET } from '../helpers/app';
import { waitUntil } from '../helpers/models';
import { createSession, type TSession } from '../helpers/instances';
import { seedDataDir } from '../helpers/pglite-template';

// The server process killed mid-run (SIGKILL: no shutdown code runs) and started again on the same DATA_DIR.
// A run interrupted once is resumed by the next process and completes; a run interrupted every time it is
// retried ends `failed` saying so. Either way the thread takes new messages and nothing the reader sent is lost.

const SCRIPT = path.resolve(import.meta.dirname, '../helpers/server-process.ts');
const running = new Set<ChildProcess>();

// Waits for the processes to be gone: their DATA_DIR is removed when the file ends (tests/helpers/setup.ts).
afterEach(async () => {
  const exits = [...running].map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve))));
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  await Promise.all(exits);
});

type TProcess = { url: string; child: ChildProcess; held: string[]; kill(): Promise<void> };

async function startProcess(dataDir: string, holdPattern: string): Promise<TProcess> {
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    DOCS_DIR: FIXTURE_DOCS_DIR,
    SESSION_SECRET: TEST_SESSION_SECRET,
    RUN_LEASE_SECONDS: '2',
    RUN_MAX_ATTEMPTS: '2',
    MESSAGE_WAIT_SECONDS: '1',
    // The test polls quickly from one session; rate limits are not what it is about.
    RATE_LIMIT_BURST: '100000',
    RATE_LIMIT_IP_BURST: '100000',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify({ env, holdPattern })], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const held: string[] = [];
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server process did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of chunk.toString().split('\n')) {
        if (line.startsWith('HOLD ')) held.push(line.slice(5));
        if (line.startsWith('READY ')) {
          clearTimeout(timer);
          resolve(line.slice(6).trim());
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server process exited (${code}):\n${output}`)));
  });
  return {
    url,
    child,
    held,
    kill: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
        running.delete(child);
      }),
  };
}

async function runOf(session: TSession, base: string, threadId: string) {
  const response = await session.get(base, `/api/paste-assistant-thread/${threadId}/runs`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data[0];
}

async function pollUntilTerminal(session: TSession, base: string, threadId: string, runId: string) {
  let run: any;
  await waitUntil(async () => {
    const response = await session.get(base, `/api/paste-assistant-thread/${threadId}/run/${runId}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    run = response.body;
    return ['completed', 'failed', 'cancelled', 'expired', 'incomplete'].includes(run.status);
  }, 20_000);
  return run;
}

const texts = async (session: TSession, base: string, threadId: string) =>
  (await session.get(base, `/api/paste-assistant-messages/${threadId}`)).body.data.map((message: any) => `${message.role}: ${message.content[0].text.value.slice(0, 40)}`);

describe('server process killed mid-run and restarted on the same DATA_DIR', () => {
  it('resumes a run interrupted once, fails one interrupted on every attempt, and both threads go on', { timeout: 120_000 }, async () => {
    const dataDir = await seedDataDir(makeTempDir('pa-restart-'));
    const reader = createSession();

    // Process 1 holds every question; both runs are in progress when it is killed.
    const first = await startProcess(dataDir, '.');
    const resumeThread = (await reader.post(first.url, '/api/paste-assistant-thread')).body.id;
    const failThread = (await reader.post(first.url, '/api/paste-assistant-thread')).body.id;
    const resumeRun = (await reader.post(first.url, '/api/paste-assistant-message', { threadId: resumeThread, message: 'How do I configure Slack?' })).body.run;
    const failRun = (await reader.post(first.url, '/api/paste-assistant-message', { threadId: failThread, message: 'twice: how do I invite the bot?' })).body.run;
    expect([resumeRun.status, failRun.status]).toEqual(['in_progress', 'in_progress']);
    await waitUntil(() => first.held.length === 2);
    await first.kill();

    // Process 2 answers, except the "twice" question, which it holds again (its second attempt) and dies too.
    const second = await startProcess(dataDir, '^twice');
    const resumed = await pollUntilTerminal(reader, second.url, resumeThread, resumeRun.id);
    expect(resumed).toMatchObject({ id: resumeRun.id, status: 'completed', last_error: null });
    expect(await texts(reader, second.url, resumeThread)).toEqual(['user: How do I configure Slack?', expect.stringMatching(/^assistant: /)]);
    // The route waits MESSAGE_WAIT_SECONDS (1 s here) and may answer with the run still going on a loaded machine:
    // followed to its end, it completes.
    const more = await reader.post(second.url, '/api/paste-assistant-message', { threadId: resumeThread, message: 'And the channel?' });
    expect((await pollUntilTerminal(reader, second.url, resumeThread, more.body.run.id)).status).toBe('completed');
    await waitUntil(async () => {
      // Observing the run is what resumes it once its dead lease lapses; then process 2 holds it.
      await reader.get(second.url, `/api/paste-assistant-thread/${failThread}/run/${failRun.id}`);
      return second.held.length === 1;
    }, 20_000);
    await second.kill();

    // Process 3: the run's attempts are used up, so it ends failed, saying it was interrupted.
    const third = await startProcess(dataDir, '');
    const interrupted = await pollUntilTerminal(reader, third.url, failThread, failRun.id);
    expect(interrupted.status).toBe('failed');
    expect(interrupted.last_error.message).toMatch(/interrupted/);
    expect((await runOf(reader, third.url, failThread)).id).toBe(failRun.id);
    const retry = await reader.post(third.url, '/api/paste-assistant-message', { threadId: failThread, message: 'twice: how do I invite the bot?' });
    expect((await pollUntilTerminal(reader, third.url, failThread, retry.body.run.id)).status).toBe('completed');
    expect(await texts(reader, third.url, failThread)).toEqual([
      'user: twice: how do I invite the bot?',
      'user: twice: how do I invite the bot?',
      expect.stringMatching(/^assistant: /),
    ]);
    expect((await texts(reader, third.url, resumeThread)).length).toBe(4);
    await third.kill();
  });
});
