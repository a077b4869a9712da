// What command-line tools use of one source kind on its own: the crawl's bench and CLI (`npm run docs:crawl`), the
// GitHub source's bench, and the search evaluations that index the GitHub threads or the API specs beside the docs.
// They reach a kind through here, as the app reaches kinds through the registry (index.ts): nothing outside
// lib/docs/sources imports a kind's folder (tests/unit/import-rules.test.ts).

export { crawlDocs } from './crawl/crawler';
export { createDocsCrawlLoop } from './crawl/loop';
export { createGithubSource, GITHUB_KIND, type TGithubSyncReport } from './github';
export { isBot, isMaintainer, threadPath, type TGithubComment, type TGithubIssue, type TRepoRef } from './github/thread';
export { createOpenapiSource } from './openapi';
