import { describe, expect, it } from 'vitest';
import { isConfigError, parseConfig } from '@/lib/config';
import { SOURCE_KINDS } from '@/lib/docs/sources';

// Each source kind reads its own environment (its folder's settings.ts, with zod): a bad value is one error, one
// line, naming the variable, whether the kind's settings are read alone or composed by lib/config.ts.

const BAD: Record<string, Record<string, string>> = {
  folder: { DOCS_BASE_URL: 'docs.example.com', DOCS_URL_SUFFIX: '.php' },
  crawl: { DOCS_CRAWL_URL: 'ftp://docs.example.com', DOCS_CRAWL_MAX_PAGES: 'many', DOCS_CRAWL_CONCURRENCY: '99' },
  github: { GITHUB_REPOS: 'not a repository', GITHUB_SYNC_INTERVAL_MINUTES: '0', GITHUB_API_URL: 'api.github.com' },
  openapi: { DOCS_OPENAPI_BASE_URL: 'reference', DOCS_OPENAPI_MAX_BYTES: '5' },
  code: { DOCS_CODE_REPO: 'not a repository', DOCS_CODE_REF: 'a ref with spaces', DOCS_CODE_MAX_FILE_BYTES: '5' },
};

function thrown(read: () => unknown): unknown {
  try {
    read();
  } catch (error) {
    return error;
  }
  return null;
}

describe('a source kind’s settings', () => {
  it('every kind with variables is exercised here', () => {
    const withVariables = SOURCE_KINDS.filter((kind) => Object.keys(kind.settings.env.shape).length > 0).map((kind) => kind.kind);
    expect(withVariables.sort()).toEqual(Object.keys(BAD).sort());
  });

  for (const [kindName, values] of Object.entries(BAD)) {
    for (const [variable, value] of Object.entries(values)) {
      it(`${kindName}: a bad ${variable} is one error naming it`, () => {
        const kind = SOURCE_KINDS.find((entry) => entry.kind === kindName);
        expect(kind).toBeDefined();
        expect(Object.keys(kind?.settings.env.shape ?? {})).toContain(variable);
        const source = { [variable]: value };
        const alone = thrown(() => kind?.settings.parse(source, { cwd: '/srv/docs', source }));
        const composed = thrown(() => parseConfig(source, '/srv/docs'));
        for (const error of [alone, composed]) {
          expect(isConfigError(error)).toBe(true);
          const message = (error as Error).message;
          expect(message.startsWith(`${variable}: `)).toBe(true);
          expect(message).not.toContain('\n');
        }
      });
    }
  }

  it('a good value is read into the configuration’s docsSources', () => {
    const source = { DOCS_CRAWL_URL: 'https://docs.example.com', GITHUB_REPOS: 'acme/widgets', DOCS_OPENAPI: 'specs/api.yaml' };
    const config = parseConfig(source, '/srv/docs');
    expect(config.docsSources.crawl?.urls).toEqual(['https://docs.example.com']);
    expect(config.docsSources.github?.repos).toEqual([{ owner: 'acme', name: 'widgets' }]);
    expect(config.docsSources.openapi?.specs).toEqual(['/srv/docs/specs/api.yaml']);
    expect(config.docsSources.isDirIndexed).toBe(false);
  });
});
