import type { TLeasedJob } from '../../../jobs';
import { createSourceSyncJob } from '../sync';
import type { TSourceDeps } from '../types';
import { createCrawlSource } from '.';
import type { TCrawlOptions, TCrawlReport } from './crawler';

// The crawl kind's sync job (../sync.ts) on its own: what `npm run docs:crawl` and the crawl's tests run. The app
// builds the same job from the registry (../index.ts).

export type TDocsCrawlLoop = TLeasedJob<TCrawlReport>;

export function createDocsCrawlLoop({ deps, options, workerId }: { deps: TSourceDeps; options: TCrawlOptions; workerId: string }): TDocsCrawlLoop {
  return createSourceSyncJob({ source: createCrawlSource(options), deps, workerId });
}
