// A host site's server signs a reader token for a reader it knows (content/docs/guides/private-docs.mdx), and
// exchanges it for the reader's session on the docs site: POST /api/reader/session {token}. With --question, it then
// asks as that reader, as their browser would (the session cookie kept: a thread, the message, the run until it ends)
// and prints the answer and its sources, which may be pages of the token's audiences. --signed-out asks without a
// token, as a reader nobody signed in, to compare.
//
//   READER_TOKEN_SECRET=… PASTE_URL=http://localhost:3000 node examples/reader-token.mjs alice staff beta
//   READER_TOKEN_SECRET=… PASTE_URL=http://localhost:3000 node examples/reader-token.mjs --question "How do I …?" alice staff
//   PASTE_URL=http://localhost:3000 node examples/reader-token.mjs --signed-out --question "How do I …?"
//
// In a real host site, readerToken() runs where you know who is signed in, and the token goes to the browser
// (the embed's data-reader-token, or your portal's fetch to /api/reader/session). Node 20 or later.
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';

export async function readerToken({ subject, audiences }) {
  const secret = new TextEncoder().encode(process.env.READER_TOKEN_SECRET);
  return new SignJWT({ audiences })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('1h') // at most 24 h ahead
    .sign(secret);
}

const baseUrl = (process.env.PASTE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const ENDED = ['completed', 'failed', 'cancelled', 'expired', 'incomplete'];

// The reader's cookies, as their browser keeps them: the session cookie is set by the first answer and may be
// replaced (signing in starts a new session).
const cookies = new Map();

async function call(method, path, body) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookies.size > 0 ? { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

async function ok(method, path, body) {
  const response = await call(method, path, body);
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.text}`);
  return response.json();
}

/** Asks as this reader: a thread, the question, the run followed until it ends, then the answer. */
async function ask(question) {
  const thread = await ok('POST', '/api/paste-assistant-thread', {});
  let { run } = await ok('POST', '/api/paste-assistant-message', { threadId: thread.id, message: question });
  for (let attempt = 0; !ENDED.includes(run.status); attempt += 1) {
    if (attempt >= 300) throw new Error('the run did not end in 5 minutes');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    run = await ok('GET', `/api/paste-assistant-thread/${thread.id}/run/${run.id}`);
  }
  const messages = await ok('GET', `/api/paste-assistant-messages/${thread.id}?order=desc&limit=1`);
  const answer = messages.data[0]?.role === 'assistant' ? messages.data[0].content[0]?.text : undefined;
  console.log(`run: ${run.status}`);
  console.log(`answer:\n${answer?.value ?? '(none)'}`);
  const sources = [...new Map((answer?.annotations ?? []).map((annotation) => [annotation.url, annotation.title])).entries()];
  console.log(sources.length > 0 ? 'sources:' : 'sources: none');
  for (const [url, title] of sources) console.log(`- ${title}: ${new URL(url, `${baseUrl}/`).href}`);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { question: { type: 'string' }, 'signed-out': { type: 'boolean', default: false } },
});
if (values['signed-out']) {
  if (!values.question) {
    console.error('--signed-out asks a question: add --question "…".');
    process.exit(2);
  }
  console.log('signed out: no reader token');
} else {
  if (!process.env.READER_TOKEN_SECRET) {
    console.error('Set READER_TOKEN_SECRET to the docs site’s (or pass --signed-out to ask without a token).');
    process.exit(2);
  }
  const [subject = 'alice', ...audiences] = positionals;
  const token = await readerToken({ subject, audiences });
  const session = await call('POST', '/api/reader/session', { token });
  console.log(session.status, session.text);
  if (session.status !== 200) process.exit(1);
}
if (values.question) {
  console.log(`question: ${values.question}`);
  await ask(values.question);
}
