// A language tag's primary subtag, lower-cased ("fr-CA" → "fr", "pt_BR" → "pt"): how the UI's languages are matched.
export function primarySubtag(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

/** The first of the preferred languages (best first) that `available` holds, by primary subtag; null when none. */
export function firstAvailableLanguage(preferred: readonly string[], available: Readonly<Record<string, unknown>>): string | null {
  for (const tag of preferred) {
    const primary = primarySubtag(tag);
    if (primary !== '' && Object.hasOwn(available, primary)) return primary;
  }
  return null;
}
