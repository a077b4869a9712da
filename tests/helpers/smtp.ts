import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

// An SMTP server on 127.0.0.1 (smtp-server, no TLS, any login), for the hand-offs' e-mails: each mail it takes is kept
// with its recipients and its text as the reader reads it (a quoted-printable body decoded).

export type TMail = { to: string; text: string };

/** A mail as its reader sees it: nodemailer sends a body with long lines or non-ASCII quoted-printable. */
export function decodeMail(raw: string): string {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (!/content-transfer-encoding:\s*quoted-printable/i.test(head)) return `${head}\n\n${body}`;
  const bytes = body.replace(/=\r?\n/g, '').replace(/\r\n/g, '\n');
  return `${head}\n\n${Buffer.from(bytes.replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')}`;
}

export async function startSmtp() {
  const mails: TMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','), text: decodeMail(data) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The path and fragment of a mail's link to one of the site's hand-off pages (/handoff/confirm#t=…, /handoff/open#t=…). */
export function mailLink(text: string, page: 'confirm' | 'open'): { path: string; token: string } {
  const found = new RegExp(`https?://[^\\s/]+(/handoff/${page}#t=([A-Za-z0-9_.-]+))`).exec(text);
  if (!found) throw new Error(`no /handoff/${page} link in:\n${text}`);
  return { path: found[1]!, token: found[2]! };
}
