import { describe, expect, it } from 'vitest';
import { inertQuote } from '@/lib/github/markdown';
import { draftTitle } from '@/lib/maintainers/gaps/markdown';

// Issue 54, 1.6: readers' words in a draft posted on GitHub under the maintainers' name are quoted inertly (issue 67,
// 1.6 made the rule coarser and checks it with a GFM renderer: tests/unit/inert-markdown.test.ts).

describe('inertQuote', () => {
  it('masks user mentions as the GitHub source does, and shows them, team mentions and addresses as code', () => {
    const quoted = inertQuote('ping @octocat and @org/team, not name@example.com');
    expect(quoted).toBe('ping `@[user]` and `@org/team,` not `name@example.com`');
  });

  it('shows images, links (to the site too) and bare addresses as code, never as a link', () => {
    const quoted = inertQuote('![x](https://evil.example/p.png) [Verify](https://evil.example/login) [Buttons](/docs/buttons) see https://evil.example/a and www.evil.example');
    expect(quoted).toBe('`![x](https://evil.example/p.png)` `[Verify](https://evil.example/login)` `[Buttons](/docs/buttons)` see `https://evil.example/a` and `www.evil.example`');
  });

  it('makes HTML, entities, autolinks and issue references inert, and leaves code as code', () => {
    const quoted = inertQuote('<details><summary>hi</summary></details> &#64;hubot <https://evil.example> #12 acme/other#3 `@Input() <b>`');
    expect(quoted).toBe('`<details><summary>hi</summary></details>` `&#64;hubot` `<https://evil.example>` `#12` `acme/other#3` `@Input() <b>`');
  });
});

describe('draftTitle', () => {
  it('masks mentions in the topic, shown as code', () => {
    const topic = { id: 'gap_0', topic: 'fax to @octocat' } as Parameters<typeof draftTitle>[0];
    expect(draftTitle(topic, 'issue')).toBe('Docs gap: “fax to `@[user]`”');
  });
});
