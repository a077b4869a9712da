import { createApp, createSiteTools, type TApp } from '@/lib/app';
import { createModelCaller, checkModelResponse } from '@/lib/assistant/engine/model-io';
import { INSTRUCTIONS } from '@/lib/assistant/instructions';
import { createModelClient } from '@/lib/model';
import type { TPassagesOutput, TInputItem, TModelClient } from '@/lib/model/types';
import { ConfigError, parseConfig, type TConfig } from '@/lib/config';
import type { TUsage } from '@/lib/db/rows';
import { listDocsPageChecksums } from '@/lib/db/docs-index';
import { embedMissingSections } from '@/lib/docs/index/embeddings';
import { indexDocs } from '@/lib/docs/sources/single-kinds';
import { searchDocsWithModel } from '@/lib/docs/search/model-rerank';
import { searchDocsRanked } from '@/lib/docs/search/search';
import type { TLogger } from '@/lib/log';
import { isActiveRunStatus } from '@/lib/shared/runs';
import type { TCitedSection } from './eval-judge';
import { addUsage, NO_USAGE } from './eval-metrics';
import { describeDataDirInUse } from './running-server';
import { PUBLIC_ACCESS } from '@/lib/audiences';

// What `npm run eval` measures a question against: the configured assistant in this process, or a running site
// over its HTTP API. Both give the same things: the search's first sources, and an answer with its citations, the
// sections it could cite (for the judge), its latency and its tokens.

/** Sources the search returns per question: MRR is over these ten, recall@1 and @5 over the first ones. */
export const SOURCES_PER_QUESTION = 10;

export type TSource = { path?: string; slug?: string; url: string; title: string; heading: string };

export type TAnswer = {
  text: string;
  /** The answer's citations (url_citation annotations), in order. */
  citations: string[];
  /** The sections the answer's searches returned, as the model read them: what its citations may point to. */
  sections: TCitedSection[];
  usage: TUsage;
  latencyMs: number;
  /** Why there is no answer (a model error, a run that failed or stopped); null when it answered. */
  error: string | null;
};

export type TTarget = {
  /** How the output names this column: the env file or the site's URL. */
  label: string;
  /** The model's name as runs record it (`offline` for the offline model; the site's as its runs report it). */
  model: string;
  isOffline: boolean;
  /** Notes printed before the questions (what was indexed, what this target does not measure). */
  notes: string[];
  /** The paths of the pages in its index, when it can list them (in process; not a running site). */
  indexedPaths?: string[];
  search(question: string): Promise<TSource[]>;
  answer(question: string): Promise<TAnswer>;
  /** The text of the cited pages when the answer's own sections do not have it (a site's markdown twins). */
  citedText(url: string): Promise<string | null>;
  close(): Promise<void>;
};

/** Every reference a source gives its page by: path, slug and URL (expected pages may be written as any). */
export function sourceReferences(source: TSource): string[] {
  return [source.path, source.slug, source.url].filter((reference): reference is string => reference !== undefined);
}

/** A model client that adds up the tokens of every call made through it (answers, and the rerank a search asks for). */
function countingModel(model: TModelClient): TModelClient & { take(): TUsage } {
  let usage = NO_USAGE;
  return {
    ...model,
    async respond(request) {
      const response = await model.respond(request);
      usage = addUsage(usage, response.usage);
      return response;
    },
    async complete(request) {
      const response = await model.complete(request);
      usage = addUsage(usage, response.usage);
      return response;
    },
    take() {
      const taken = usage;
      usage = NO_USAGE;
      return taken;
    },
  };
}

/**
 * The assistant as `env` configures it (lib/config.ts, the composition root lib/app.ts): the configured store, with
 * DOCS_DIR indexed first as `npm run docs:search` does (only what changed; embeddings computed when configured), the
 * configured model and its rerank. Each question is answered as a run answers it — the same instructions, model,
 * tools and link check, up to RUN_MAX_TOOL_ROUNDS searches — but nothing is stored as a reader's: no thread, nothing
 * for Slack, the maintainers' dashboard, `npm run report` or the daily token cap, and its searches are an operator's,
 * left out of the docs-query log (the app's `activity`).
 */
export async function openInProcessTarget({ env, cwd, label, log }: { env: Record<string, string | undefined>; cwd: string; label: string; log: TLogger }): Promise<TTarget> {
  const parsed = parseConfig(env, cwd);
  const inUse = describeDataDirInUse({ config: parsed, script: 'eval' });
  if (inUse) throw new ConfigError(inUse);
  // Slack off whatever the file says: an evaluation posts nothing to the review channel.
  const config: TConfig = { ...parsed, reviewChannel: { mode: 'disabled' } };
  // The model as the server has it (an offline answer names the maintainers when Slack reviews): it posts nothing.
  const model = countingModel(createModelClient(parsed));
  // An operator's evaluation: its searches are not readers' (no row in the docs-query log the report counts).
  const app = await createApp(config, { model, log, activity: 'operator' });
  try {
    const notes = await prepareIndex(app);
    const indexedPaths = Object.keys(await listDocsPageChecksums({ db: app.db }));
    return { ...inProcessTarget({ app, model, label, notes }), indexedPaths };
  } catch (error) {
    await app.db.close();
    throw error;
  }
}

async function prepareIndex(app: TApp): Promise<string[]> {
  const { config, db, embedder } = app;
  const notes: string[] = [];
  const report = await indexDocs({ db, docsDir: config.docsSources.isDirIndexed ? config.docsDir : null, embedder, published: config.docsSources.published });
  notes.push(`${report.pages} pages in the index${report.indexed.length > 0 ? ` (${report.indexed.length} indexed now from ${config.docsDir})` : ''}`);
  for (const failure of report.failed) notes.push(`page not indexed: ${failure.path}: ${failure.reason}`);
  if (embedder) notes.push(`embeddings (${embedder.model}): ${await embedMissingSections({ db, embedder })} sections embedded now`);
  if (report.pages === 0) notes.push('the index is empty: every question will miss (check DOCS_DIR, or crawl the site first: npm run docs:crawl)');
  return notes;
}

function inProcessTarget({ app, model, label, notes }: { app: TApp; model: ReturnType<typeof countingModel>; label: string; notes: string[] }): TTarget {
  const { config, log } = app;
  const tools = createSiteTools(app);
  const callModel = createModelCaller(config.modelTimeoutMs);
  const rerank = config.docsSearchRerank.isOn ? { model, timeoutMs: config.docsSearchRerank.timeoutMs, log } : undefined;
  return {
    label,
    model: model.name,
    isOffline: model.mode === 'offline',
    notes: [...notes, `search: the assistant's (${[app.embedder ? 'embeddings fused' : 'full text', rerank ? 'reordered by the model' : null].filter(Boolean).join(', ')})`],
    async search(question) {
      const search = { deps: app, prompt: question, limit: SOURCES_PER_QUESTION, source: 'assistant' as const, access: PUBLIC_ACCESS };
      const ranked = rerank ? await searchDocsWithModel({ ...search, rerank }) : await searchDocsRanked(search);
      // A search's rerank call is not the answer's: its tokens are not counted against the answer.
      model.take();
      return ranked.results;
    },
    async answer(question) {
      model.take();
      const started = performance.now();
      const sections: TCitedSection[] = [];
      const ended = (fields: Partial<TAnswer>): TAnswer => ({
        text: '',
        citations: [],
        sections,
        error: null,
        ...fields,
        usage: model.take(),
        latencyMs: performance.now() - started,
      });
      try {
        const input: TInputItem[] = [{ type: 'message', role: 'user', content: app.privacy.mask(question).text }];
        for (let round = 0; ; round += 1) {
          const { output } = checkModelResponse(
            await callModel((signal) => model.respond({ instructions: INSTRUCTIONS, input, tools: tools.definitions, signal })),
          );
          if (output.type === 'message') {
            const checked = await tools.verifyAnswer({ text: output.text, annotations: output.annotations ?? [] });
            return ended({ text: checked.text, citations: checked.annotations.map((annotation) => annotation.url) });
          }
          if (round >= config.runs.maxToolRounds) return ended({ error: `incomplete: more than ${config.runs.maxToolRounds} rounds of docs search` });
          for (const call of output.calls) {
            input.push({ type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments });
            const result = await tools.run({ id: call.call_id, type: 'function', function: { name: call.name, arguments: call.arguments } }, { access: PUBLIC_ACCESS });
            input.push({ type: 'function_call_output', call_id: call.call_id, output: result });
            const parsed = JSON.parse(result) as TPassagesOutput;
            if ('results' in parsed) sections.push(...parsed.results.map((hit) => ({ url: hit.url, text: `${hit.title} › ${hit.heading}\n\n${hit.content}` })));
          }
        }
      } catch (error) {
        return ended({ error: error instanceof Error ? error.message : String(error) });
      }
    },
    citedText: async () => null,
    close: () => app.db.close(),
  };
}

/** The local configuration's model, for the judge; null when it is the offline model. */
export function configuredModel(env: Record<string, string | undefined>, cwd: string): (TModelClient & { take(): TUsage }) | null {
  const config = parseConfig(env, cwd);
  return config.model.mode === 'offline' ? null : countingModel(createModelClient(config));
}

// ---- A running site, over its HTTP API -----------------------------------------------------------------------

/** A 429 that says to wait at most this long is waited out (a burst limit); a longer one stops the evaluation. */
const MAX_RETRY_AFTER_SECONDS = 30;
const POLL_MS = 500;
const RUN_TIMEOUT_MS = 300_000;

class SiteError extends Error {
  override name = 'SiteError';
}

/**
 * A site as a reader's browser talks to it: one session (its cookie), a new thread per question
 * (POST /api/paste-assistant-thread), the question (POST /api/paste-assistant-message, which waits on the run), the
 * run polled until it ends, then the answer (GET /api/paste-assistant-messages); the sources from POST
 * /api/docs-search, the search box's route (the same ranking and embeddings; a model's rerank, when the site has one,
 * applies only to the assistant's own searches). The client does not offer to solve the site's proof-of-work
 * challenge, so it is never challenged: at a limit it gets 429, waits out a short Retry-After and otherwise stops
 * with a message naming the site's limit. Each thread is deleted once its answer is read; a site with Slack review
 * has already posted it, as it posts every reader's conversation.
 */
export function openSiteTarget({ url }: { url: string }): TTarget {
  const base = url.replace(/\/+$/, '');
  let cookie = '';
  let modelName = 'unknown';

  async function call(route: string, init: { method?: string; json?: unknown } = {}): Promise<any> {
    for (;;) {
      let response: Response;
      try {
        response = await fetch(`${base}${route}`, {
          method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
          headers: { ...(cookie ? { cookie } : {}), ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
          body: init.json === undefined ? undefined : JSON.stringify(init.json),
        });
      } catch (error) {
        throw new SiteError(`${base}${route}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)} (is the site running?)`);
      }
      const setCookie = response.headers.get('set-cookie');
      if (setCookie) cookie = setCookie.split(';')[0] ?? '';
      const body = (await response.json().catch(() => null)) as any;
      if (response.status === 429) {
        const retryAfter = Number(response.headers.get('retry-after') ?? 'NaN');
        if (Number.isFinite(retryAfter) && retryAfter <= MAX_RETRY_AFTER_SECONDS) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(1, retryAfter) * 1000));
          continue;
        }
        throw new SiteError(
          `${route}: the site refused with 429 (${body?.error?.message ?? 'rate limited'}). Raise its RATE_LIMIT_MESSAGES_PER_HOUR and ` +
            'RATE_LIMIT_IP_MESSAGES_PER_HOUR for the evaluation, or run it in process (without --url).',
        );
      }
      if (!response.ok) throw new SiteError(`${route}: ${response.status} ${body?.error?.message ?? JSON.stringify(body)}`);
      return body;
    }
  }

  return {
    label: base,
    get model() {
      return modelName;
    },
    get isOffline() {
      return modelName === 'offline';
    },
    notes: [`search: the site's /api/docs-search (a model's rerank, if the site has one, is not in these sources)`],
    async search(question) {
      const body = (await call('/api/docs-search', { json: { prompt: question.slice(0, 500), limit: SOURCES_PER_QUESTION } })) as { data: TSource[] };
      return body.data;
    },
    async answer(question) {
      const started = performance.now();
      const thread = (await call('/api/paste-assistant-thread', { method: 'POST' })) as { id: string };
      try {
        let { run } = (await call('/api/paste-assistant-message', { json: { threadId: thread.id, message: question } })) as { run: any };
        const deadline = Date.now() + RUN_TIMEOUT_MS;
        while (isActiveRunStatus(run.status) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          run = await call(`/api/paste-assistant-thread/${thread.id}/run/${run.id}`);
        }
        const messages = (await call(`/api/paste-assistant-messages/${thread.id}?order=desc&limit=1`)) as { data: any[] };
        const latencyMs = performance.now() - started;
        if (typeof run.model === 'string') modelName = run.model;
        const usage: TUsage = run.usage ?? NO_USAGE;
        const last = messages.data[0];
        const part = last?.role === 'assistant' ? last.content?.[0]?.text : undefined;
        const error = run.status === 'completed' ? null : `run ${run.status}${run.last_error?.message ? `: ${run.last_error.message}` : run.incomplete_details?.message ? `: ${run.incomplete_details.message}` : ''}`;
        return {
          text: part?.value ?? '',
          citations: ((part?.annotations ?? []) as { url: string }[]).map((annotation) => annotation.url),
          sections: [],
          usage,
          latencyMs,
          error,
        };
      } finally {
        await call(`/api/paste-assistant-thread/${thread.id}`, { method: 'DELETE' }).catch(() => undefined);
      }
    },
    /** The cited page's markdown twin (`/docs/<slug>.md`); null for a page published elsewhere. */
    async citedText(cited) {
      const pathname = new URL(cited, `${base}/`).pathname.replace(/\/+$/, '');
      if (pathname !== '/docs' && !pathname.startsWith('/docs/')) return null;
      const response = await fetch(`${base}${pathname}.md`, { headers: cookie ? { cookie } : {} }).catch(() => null);
      return response?.ok ? response.text() : null;
    },
    close: async () => {},
  };
}
