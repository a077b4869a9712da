// Loaded with `node --require` into a child process (and, through its execArgv, into every worker thread it starts):
// refuses every connection that would leave 127.0.0.1 (TCP/TLS sockets, DNS lookups, fetch) and records each attempt,
// with what the process loads of tesseract (the worker's script, the core's module, the language model's file), as one
// JSON line each in the file NO_NETWORK_LOG names. tests/integration/ocr-offline.test.ts reads it.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload, for node --require */
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const Module = require('node:module');
const workerThreads = require('node:worker_threads');

const logFile = process.env.NO_NETWORK_LOG;
const record = (entry) => fs.appendFileSync(logFile, `${JSON.stringify({ ...entry, thread: workerThreads.threadId })}\n`);
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);
const refuse = (kind, target) => {
  record({ kind, target: String(target) });
  throw new Error(`no-network preload: ${kind} to ${target} refused`);
};

record({ kind: 'thread', isMain: workerThreads.isMainThread });

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function patchedConnect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  // A unix socket or pipe (`path`) stays on this machine.
  if (options.path === undefined && !LOOPBACK.has(options.host ?? 'localhost')) refuse('connect', `${options.host}:${options.port}`);
  return connect.apply(this, args);
};

for (const target of [dns, dns.promises]) {
  const lookup = target.lookup;
  target.lookup = function patchedLookup(host, ...rest) {
    if (!LOOPBACK.has(host)) refuse('lookup', host);
    return lookup.call(this, host, ...rest);
  };
}

if (typeof globalThis.fetch === 'function') {
  const fetch = globalThis.fetch;
  globalThis.fetch = function patchedFetch(input, init) {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (['data:', 'file:', 'blob:'].includes(url.protocol) || LOOPBACK.has(url.hostname.replace(/^\[|\]$/g, ''))) return fetch.call(this, input, init);
    // Refused as a fetch fails: a rejected promise.
    return Promise.resolve().then(() => refuse('fetch', url.href));
  };
}

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function patchedResolve(request, ...rest) {
  const file = resolveFilename.call(this, request, ...rest);
  if (/tesseract/.test(request)) record({ kind: 'require', request, file });
  return file;
};

const { Worker } = workerThreads;
workerThreads.Worker = class RecordedWorker extends Worker {
  constructor(file, options) {
    record({ kind: 'worker', file: String(file) });
    super(file, options);
  }
};

const readFile = fs.readFile;
fs.readFile = function patchedReadFile(file, ...rest) {
  if (/traineddata/.test(String(file))) record({ kind: 'read', file: String(file) });
  return readFile.call(this, file, ...rest);
};
