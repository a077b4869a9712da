// `npm start` (next start) and `npm run dev` (`node scripts/start.mjs dev`: next dev), listening on PORT and HOST
// (lib/listen.mjs), which may also be set in .env. Signals are passed on, so that stopping `npm start`
// stops the server gracefully and its exit code is npm's.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { loadProjectEnv } from './lib/load-env.mjs';
import { nextListenArgs, resolveListenAddress } from '../lib/listen.mjs';
import { serverNodeFlags } from '../lib/server-flags.mjs';

const command = process.argv[2] === 'dev' ? 'dev' : 'start';
// Next reads the .env files itself (`next dev` other ones than `next start`): it gets the environment as it was,
// and .env is read here only for PORT and HOST.
const inherited = { ...process.env };
loadProjectEnv();
const address = resolveListenAddress(process.env, os.hostname());
if ('error' in address) {
  console.error(address.error);
  process.exit(1);
}
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
const flags = command === 'start' ? serverNodeFlags(inherited.NODE_OPTIONS) : [];
const child = spawn(process.execPath, [...flags, nextBin, command, ...nextListenArgs(address)], { stdio: 'inherit', env: inherited });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0)));
