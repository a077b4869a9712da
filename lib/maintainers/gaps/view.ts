import type { TGapsView } from '../../shared/docs-gaps';
import { closeAnsweredGapsIfDocsChanged } from './closed';
import { getGapsView, type TGapsDeps } from './topics';

// What GET /api/maintainers/gaps answers: the drafted topics the re-indexed docs now answer are closed first
// (./closed.ts, only when the docs changed), then the period's topics with their drafts.

export async function readGapsForMaintainers({ deps, days }: { deps: TGapsDeps; days: number }): Promise<TGapsView> {
  await closeAnsweredGapsIfDocsChanged({ deps });
  return getGapsView({ deps, days });
}

/** Where a kept draft downloads: its route, with the caller's signed link when that is how they came in. */
export function draftDownloadUrl({ siteUrl, draftId, link }: { siteUrl: string; draftId: number; link: { exp: string; sig: string } | null }): string {
  const query = link ? `?exp=${encodeURIComponent(link.exp)}&sig=${encodeURIComponent(link.sig)}` : '';
  return `${siteUrl}/api/maintainers/gaps/drafts/${draftId}${query}`;
}
