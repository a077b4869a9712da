import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ICONS_DIR, pasteIconModules, pasteTokensCss, TOKENS_CSS_PATH } from './lib/paste-static';

// Regenerates Paste's design tokens as CSS and the shell's icons (scripts/lib/paste-static.ts) after an upgrade
// of @twilio-paste/*. The icons' folder holds exactly the generated modules: an icon no longer drawn is removed.
writeFileSync(TOKENS_CSS_PATH, pasteTokensCss());
const icons = pasteIconModules();
mkdirSync(ICONS_DIR, { recursive: true });
for (const file of readdirSync(ICONS_DIR)) if (!icons.has(`${ICONS_DIR}/${file}`)) rmSync(path.join(ICONS_DIR, file));
for (const [file, source] of icons) writeFileSync(file, source);
process.stdout.write(`wrote ${TOKENS_CSS_PATH} and ${icons.size} icons in ${ICONS_DIR}\n`);
