/**
 * The CSS custom property that holds a Paste design token: colorBackgroundBody → --color-background-body,
 * space40 → --space-40. The same naming Paste's own CSS-variables theme uses, so that styles/paste-tokens.css
 * (generated with it) defines every variable the panel's Paste theme (SiteTheme) refers to.
 */
export function pasteCssVariableName(token: string): string {
  return `--${token.replace(/([A-Z])/g, '-$1').replace(/(\d+)/g, '-$1').toLowerCase()}`;
}
