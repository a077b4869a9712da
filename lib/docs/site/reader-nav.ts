import { toNavLinks, type TNavLinkGroup } from '../../shared/docs';
import type { TReaderAccess } from '../../audiences';
import { readFolderNav, type TFolderRules } from '../gate/folder-nav';

// GET /api/docs-nav (pages/api/docs-nav.ts): the navigation as the reader who asks may read it, for a page made the
// same for everyone (the 404 page, generated at build time), which holds no navigation of its own and asks for it
// once loaded: nothing of the docs' pages is in what the build made, whatever the audience rules are when it is
// served. The navigation of the current version, nothing unfolded (no page is current on such a page). Like every
// JSON answer of the API, never cached (lib/http sendJson: no-store).

export type TReaderNav = { groups: TNavLinkGroup[] };

export function readReaderNav({ docsDir, rules, access }: { docsDir: string; rules: TFolderRules; access: TReaderAccess }): TReaderNav {
  return { groups: toNavLinks(readFolderNav({ docsDir, rules, access }).groups) };
}
