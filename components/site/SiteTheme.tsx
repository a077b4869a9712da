import type { ReactNode } from 'react';
import * as designTokens from '@twilio-paste/core/design-tokens';
import { ThemeProvider } from '@twilio-paste/core/styling-library';
import { generateThemeFromTokens, StyledBase } from '@twilio-paste/core/theme';
import { pasteCssVariableName } from './paste-css-variables';

// Paste's theme for the parts of the site built with Paste's React components: the assistant's panel (loaded on
// its first opening), /assistant and the maintainers' pages. The docs pages themselves carry none of Paste's
// JavaScript: their shell is plain HTML styled by styles/site.css.
//
// Every token is a CSS variable (as Paste's own `useCSSVariables` theme has it), defined by styles/paste-tokens.css
// for light and dark: the theme follows the page's colour scheme (components/site/color-scheme.ts) without
// re-rendering, and a dark reader's first paint is dark here too. Unlike Paste's Theme.Provider this loads no
// fonts from Twilio's CDN (the CSP allows fonts only from this site), and its global styles are in
// styles/site.css, loaded on every page.

type TTokenGroups = Record<string, Record<string, string>>;

function asCssVariables(tokens: TTokenGroups): TTokenGroups {
  return Object.fromEntries(
    Object.entries(tokens)
      .filter(([, group]) => typeof group === 'object' && group !== null)
      .map(([groupName, group]) => [groupName, Object.fromEntries(Object.keys(group).map((key) => [key, `var(${pasteCssVariableName(key)})`]))]),
  );
}

const { backgroundColors, borderColors, borderWidths, boxShadows, colors, colorSchemes, dataVisualization, fonts, fontSizes, fontWeights, lineHeights, radii, sizings, spacings, textColors, zIndices } =
  designTokens;

export const cssVariablesTheme = generateThemeFromTokens(
  asCssVariables({ backgroundColors, borderColors, borderWidths, boxShadows, colors, colorSchemes, dataVisualization, fonts, fontSizes, fontWeights, lineHeights, radii, sizings, spacings, textColors, zIndices } as unknown as TTokenGroups) as unknown as Parameters<
    typeof generateThemeFromTokens
  >[0],
);

export function SiteTheme({ children }: { children: ReactNode }) {
  return (
    <ThemeProvider theme={cssVariablesTheme}>
      <StyledBase className="paste-theme-provider">{children}</StyledBase>
    </ThemeProvider>
  );
}
