import { describe, expect, it } from 'vitest';
import { maskMentions } from '@/lib/github/mentions';
import { draftTitle, inertQuote } from '@/lib/maintainers/gaps/markdown';

// Issue 54, 1.6: readers' words in a draft posted on GitHub under the maintainers' name are quoted inertly.

const SITE = 'https://docs.example.com';

describe('inertQuote', () => {
  it('masks user mentions as the GitHub source does, and shows team mentions as code', () => {
    const quoted = inertQuote('ping @octocat and @org/team, not name@example.com', SITE);
    expect(quoted).toContain(maskMentions('@octocat').replace(/[[\]]/g, '\\$&'));
    expect(quoted).not.toMatch(/@octocat/);
    expect(quoted).toContain('`@org/team`');
    expect(quoted).toContain('name@example.com');
  });

  it('shows images and links to other sites as text with their address as code; a link to the site stays a link', () => {
    const quoted = inertQuote('![x](https://evil.example/p.png) [Verify](https://evil.example/login) [Buttons](/docs/buttons) see https://evil.example/a and www.evil.example', SITE);
    expect(quoted).toContain('image: x `https://evil.example/p.png`');
    expect(quoted).toContain('Verify `https://evil.example/login`');
    expect(quoted).toContain('[Buttons](https://docs.example.com/docs/buttons)');
    expect(quoted).toContain('`https://evil.example/a`');
    expect(quoted).toContain('`www.evil.example`');
    expect(quoted).not.toMatch(/\]\(https:\/\/evil/);
  });

  it('makes HTML, entities, autolinks and issue references inert, and leaves code as code', () => {
    const quoted = inertQuote('<details><summary>hi</summary></details> &#64;hubot <https://evil.example> #12 acme/other#3 `@Input() <b>`', SITE);
    expect(quoted).not.toMatch(/(?<!\\)<(details|summary)/);
    expect(quoted).toContain('&amp;#64;hubot');
    expect(quoted).toContain('`https://evil.example`');
    expect(quoted).toContain('`#12`');
    expect(quoted).toContain('`acme/other#3`');
    expect(quoted).toContain('`@Input() <b>`');
  });

  it('keeps a quote on one line and at most 300 characters', () => {
    const quoted = inertQuote(`a\nb ${'word '.repeat(100)}`, SITE);
    expect(quoted).not.toContain('\n');
    expect(quoted.length).toBeLessThanOrEqual(300);
  });
});

describe('draftTitle', () => {
  it('masks mentions in the topic', () => {
    const topic = { id: 'gap_0', topic: 'fax to @octocat' } as Parameters<typeof draftTitle>[0];
    expect(draftTitle(topic, 'issue')).toBe('Docs gap: “fax to @[user]”');
  });
});
