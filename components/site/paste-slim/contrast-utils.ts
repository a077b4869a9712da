// Stands in for @twilio-paste/color-contrast-utils in the browser bundle (next.config.mjs, turbopack.resolveAlias).
// Paste's theme imports it only for useThemeContrastCheck, a tool for people designing custom themes, which
// this site never calls; the real module carries every raw token of every theme (~160 KB). These answer
// "nothing checked", so a call would fail visibly in a test rather than report wrong ratings.

export const getContrastRatingsOfTokensWithTextContrastRequirements = (): [] => [];
export const getContrastRatingsOfTokensWithUIControlContrastRequirements = (): [] => [];
export const getNumberOfTextFailures = (): number => 0;
export const getNumberOfUIControlFailures = (): number => 0;
