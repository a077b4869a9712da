import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ICONS_DIR, pasteIconModules, pasteTokensCss, TOKENS_CSS_PATH } from '@/scripts/lib/paste-static';

// The docs pages draw Paste's look from committed files generated out of the installed Paste packages
// (scripts/lib/paste-static.ts): they must match what those packages hold now, and every variable the site's
// CSS uses must be one of Paste's tokens (an undefined var() fails silently in the browser).

const declared = (css: string, selector: RegExp) => {
  const block = selector.exec(css)?.[1] ?? '';
  return new Map([...block.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map(([, name, value]) => [name!, value!.trim()]));
};

describe('Paste tokens as CSS, and the shell\'s icons', () => {
  it('are what `npm run paste:static` generates from the installed packages', () => {
    expect(readFileSync(TOKENS_CSS_PATH, 'utf8')).toBe(pasteTokensCss());
    const icons = pasteIconModules();
    expect(readdirSync(ICONS_DIR).map((file) => `${ICONS_DIR}/${file}`).sort()).toEqual([...icons.keys()].sort());
    for (const [file, source] of icons) expect(readFileSync(file, 'utf8'), file).toBe(source);
  });

  it('define light values on :root and dark ones for a dark choice and for a system that prefers dark', () => {
    const css = pasteTokensCss();
    const light = declared(css, /^:root \{([^}]*)\}/m);
    const chosenDark = declared(css, /^:root\[data-theme='dark'\] \{([^}]*)\}/m);
    const systemDark = declared(css, /@media \(prefers-color-scheme: dark\) \{\s*:root:not\(\[data-theme='light'\]\) \{([^}]*)\}/);
    expect(light.get('--color-background-body')).toBe('rgb(255, 255, 255)');
    expect(light.get('--space-40')).toBe('0.75rem');
    expect(light.get('--color-scheme')).toBe('light');
    expect(chosenDark.get('--color-scheme')).toBe('dark');
    expect(chosenDark.get('--color-background-body')).not.toBe(light.get('--color-background-body'));
    expect(systemDark).toEqual(chosenDark);
    // Only what differs is repeated for dark.
    expect(chosenDark.has('--space-40')).toBe(false);
  });

  it('define every variable styles/site.css uses', () => {
    const tokens = declared(pasteTokensCss(), /^:root \{([^}]*)\}/m);
    const used = new Set([...readFileSync('styles/site.css', 'utf8').matchAll(/var\((--[\w-]+)\)/g)].map(([, name]) => name!));
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((name) => !tokens.has(name))).toEqual([]);
  });
});
