// `npx tsx scripts/fake-model.ts [--port 4010]`: the fake model server of the benches (scripts/lib/fake-model-server.ts)
// on 127.0.0.1 until Ctrl-C, for trying a model configuration without a model: `npm run eval` against it shows
// tokens, cost and the judge at work (content/docs/guides/evaluate.mdx). Its answers are filler that cites the first
// section found; its judge's verdict says it is a fake.
import { parseArgs } from 'node:util';
import { startFakeModelServer } from './lib/fake-model-server';

async function main() {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '4010' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port takes a port number, not "${values.port}"`);
  const server = await startFakeModelServer({ ttftMs: 20, tokensPerSecond: 2000, answerTokens: 40, port });
  console.log(`fake model server on ${server.url} (OPENAI_BASE_URL=${server.url} OPENAI_API_STYLE=chat); Ctrl-C stops it`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
