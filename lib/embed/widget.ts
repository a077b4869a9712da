import type { TEmbedConfig } from './settings';
import { UI_TABLES, uiText } from '../shared/i18n';
import { pasteAssistantLoader, type TLoaderLabels, type TLoaderSettings } from './loader';

// GET /widget.js: the loader (lib/embed/loader.ts) with this server's settings. Cached briefly by browsers and
// CDNs: a change to EMBED_ALLOWED_ORIGINS reaches host pages within WIDGET_MAX_AGE_SECONDS (the server refuses
// a removed origin's requests at once regardless).

export const WIDGET_VERSION = 1;
export const WIDGET_MAX_AGE_SECONDS = 300;

/** The launcher's words in every UI language (the loader picks by navigator.languages). */
export function widgetLabels(): Record<string, TLoaderLabels> {
  return Object.fromEntries(
    Object.keys(UI_TABLES).map((language) => [
      language,
      {
        button: uiText(language, 'widget.button'),
        aboutLabel: uiText(language, 'widget.aboutLabel'),
        frame: uiText(language, 'embed.label'),
        askSelection: uiText(language, 'widget.askSelection'),
        askSelectionHint: uiText(language, 'widget.askSelectionHint'),
      },
    ]),
  );
}

export function widgetSettings(config: { embed: TEmbedConfig }): TLoaderSettings {
  const { origins } = config.embed;
  return {
    isEnabled: origins.mode !== 'off',
    origins: origins.mode === 'list' ? origins.origins : origins.mode === 'any' ? 'any' : [],
    version: WIDGET_VERSION,
    labels: widgetLabels(),
  };
}

/** The script's text: the loader, called with the settings. `<` is escaped so that the text is safe inline too. */
export function widgetScript(config: { embed: TEmbedConfig }): string {
  const settings = JSON.stringify(widgetSettings(config)).replace(/</g, '\\u003c');
  return `/* Paste Assistant: the embed loader (docs: /docs/embed) */\n(${String(pasteAssistantLoader)})(${settings});\n`;
}
