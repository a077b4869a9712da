import { readFileSync } from 'node:fs';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Theme } from '@twilio-paste/core/theme';
import { cssVariablesTheme, SiteTheme } from '@/components/site/SiteTheme';

describe('SiteTheme (Paste\'s theme for the panel, /assistant and the maintainers\' pages)', () => {
  it('styles like Paste\'s provider without loading fonts from a third party', () => {
    const paste = renderToString(<Theme.Provider theme="default">x</Theme.Provider>);
    const site = renderToString(<SiteTheme>x</SiteTheme>);
    // Paste's own provider is what we replace: it points every reader at Twilio's CDN.
    expect(paste).toContain('assets.twilio.com');
    expect(site).not.toContain('assets.twilio.com');
    expect(site).not.toContain('@font-face');
    expect(site).toContain('paste-theme-provider');
    expect(site).toContain('font-family:var(--font-family-text)');
  });

  it('takes every token from the CSS variables styles/paste-tokens.css defines for light and dark', () => {
    const defined = new Set([...readFileSync('styles/paste-tokens.css', 'utf8').matchAll(/^\s*(--[\w-]+):/gm)].map(([, name]) => name!));
    const values: string[] = [];
    const collect = (value: unknown) => {
      if (typeof value === 'string') values.push(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    const { breakpoints, ...tokens } = cssVariablesTheme as unknown as Record<string, unknown>;
    collect(tokens);
    expect(values.length).toBeGreaterThan(300);
    const variables = values.map((value) => /^var\((--[\w-]+)\)$/.exec(value)?.[1]);
    expect(values.filter((_, index) => variables[index] === undefined)).toEqual([]);
    expect(variables.filter((name) => !defined.has(name!))).toEqual([]);
    // Media queries cannot use variables: Paste's breakpoints stay lengths.
    expect(breakpoints).toEqual(['400px', '1024px', '1232px']);
  });
});
