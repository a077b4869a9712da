import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Theme } from '@twilio-paste/core/theme';
import { SiteTheme } from '@/components/site/SiteTheme';

describe('SiteTheme', () => {
  it('styles the page like Paste\'s provider without loading fonts from a third party', () => {
    const paste = renderToString(<Theme.Provider theme="default">x</Theme.Provider>);
    const site = renderToString(<SiteTheme>x</SiteTheme>);
    // Paste's own provider is what we replace: it points every reader at Twilio's CDN.
    expect(paste).toContain('assets.twilio.com');
    expect(site).not.toContain('assets.twilio.com');
    expect(site).not.toContain('@font-face');
    expect(site).toContain('paste-theme-provider');
    expect(site).toMatch(/font-family/);
  });
});
