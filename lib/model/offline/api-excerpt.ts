// An API operation quoted in an offline answer (a result of kind `api`: lib/docs/sources/openapi/page.ts writes its
// section): its method and path, what it does, its required fields, and the ready request (curl) built from the
// spec — what a developer asking "how do I … with the API" needs first. The field lists and the response example
// stay on the reference page the answer links to. Pure text.

const MAX_PROSE_CHARS = 400;
const MAX_REQUIRED = 8;

/** The operation's quote; the section's own opening when it does not look like an operation. */
export function apiExcerpt(content: string): string | null {
  const blocks = content.split(/\n{2,}(?=\S)/);
  const endpoint = blocks.find((block) => /^\*\*[A-Z]+\*\* `[^`]+`( · `[^`]+`)?$/.test(block.trim()));
  const curlAt = content.indexOf('**Example request**');
  const fence = curlAt >= 0 ? /```bash\n[\s\S]*?\n```/.exec(content.slice(curlAt)) : null;
  if (!endpoint || !fence) return null;
  const prose = blocks.find((block) => block !== endpoint && !/^(\*\*|```|- |_)/.test(block.trim()));
  // The section's own list of what a request must carry (path parameters and the body schema's required fields);
  // sections indexed before it had one: the field lines marked required that the excerpt still holds.
  const listed = /^\*\*Required\*\*: (.+)$/m.exec(content)?.[1];
  const required = (
    listed
      ? [...listed.matchAll(/(`[^`]+`)(?: \(([a-z]+)\))?/g)].map((match) => `- ${match[1]}${match[2] ? ` (${match[2]})` : ''}`)
      : content
          .split('\n')
          .filter((line) => /^- `[^`]+` \([^)]*\brequired\b/.test(line))
          .map((line) => `- ${/^- (`[^`]+`)/.exec(line)?.[1] ?? ''}`)
  ).slice(0, MAX_REQUIRED);
  const parts = [endpoint.trim()];
  if (prose) parts.push(prose.length > MAX_PROSE_CHARS ? `${prose.slice(0, prose.lastIndexOf(' ', MAX_PROSE_CHARS))}…` : prose.trim());
  if (required.length > 0) parts.push(`Required:\n\n${required.join('\n')}`);
  parts.push(`A ready request:\n\n${fence[0]}`);
  return parts.join('\n\n');
}
