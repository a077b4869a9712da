import { writeFileSync } from 'node:fs';
import { ICONS_PATH, pasteIconsModule, pasteTokensCss, TOKENS_CSS_PATH } from './lib/paste-static';

// Regenerates Paste's design tokens as CSS and the shell's icons (scripts/lib/paste-static.ts) after an upgrade
// of @twilio-paste/*.
writeFileSync(TOKENS_CSS_PATH, pasteTokensCss());
writeFileSync(ICONS_PATH, pasteIconsModule());
process.stdout.write(`wrote ${TOKENS_CSS_PATH} and ${ICONS_PATH}\n`);
