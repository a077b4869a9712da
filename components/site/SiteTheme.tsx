import { useMemo, type ReactNode } from 'react';
import { Globals, useReducedMotion } from '@twilio-paste/core/animation-library';
import { StylingGlobals, ThemeProvider } from '@twilio-paste/core/styling-library';
import { DefaultTheme, pasteGlobalStyles, StyledBase } from '@twilio-paste/core/theme';

// Paste's Theme.Provider, minus its @font-face rules: those load Inter and Twilio Sans from Twilio's CDN in every
// reader's browser, and this site makes no requests to third parties (its CSP allows fonts only from itself).
// The theme's font stacks fall back to the system UI fonts.
export function SiteTheme({ children }: { children: ReactNode }) {
  const prefersReducedMotion = useReducedMotion();
  useMemo(() => Globals.assign({ skipAnimation: prefersReducedMotion }), [prefersReducedMotion]);
  return (
    <ThemeProvider theme={DefaultTheme}>
      <StylingGlobals styles={pasteGlobalStyles({ theme: DefaultTheme })} />
      <StyledBase className="paste-theme-provider">{children}</StyledBase>
    </ThemeProvider>
  );
}
