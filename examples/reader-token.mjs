// A host site's server signs a reader token for a reader it knows (content/docs/guides/private-docs.mdx), and
// exchanges it for the reader's session on the docs site: POST /api/reader/session {token}.
//
//   READER_TOKEN_SECRET=… PASTE_URL=https://docs.example.com node examples/reader-token.mjs alice staff beta
//
// In a real host site, readerToken() runs where you know who is signed in, and the token goes to the browser
// (the embed's data-reader-token, or your portal's fetch to /api/reader/session).
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

const [subject = 'alice', ...audiences] = process.argv.slice(2);
const token = await readerToken({ subject, audiences });
const response = await fetch(`${process.env.PASTE_URL ?? 'http://localhost:3000'}/api/reader/session`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ token }),
});
console.log(response.status, await response.text());
