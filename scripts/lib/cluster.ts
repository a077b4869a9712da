import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeSlack, FAKE_SLACK_CHANNEL, FAKE_SLACK_TOKEN, type TFakeSlack } from '../../tests/production/helpers/fake-slack';
import { startPostgresServer, type TPostgresServer } from '../../tests/helpers/postgres-server';
import { startNextServer, type TNextServer } from './next-server';

// Several `next start` instances of the production build on one real Postgres, behind a small round-robin
// proxy, with Slack faked on 127.0.0.1: what a multi-instance deployment looks like, for the production tier's
// scale-out test and `npm run bench:scale`.

export const CLUSTER_SESSION_SECRET = 'cluster-session-secret-0123456789-abcdefghij';

export type TCluster = {
  /** The proxy: requests go to the live instances in turn. */
  url: string;
  instances: TNextServer[];
  postgres: TPostgresServer;
  databaseUrl: string;
  slack: TFakeSlack;
  /** Kills an instance at once (SIGKILL); the proxy stops sending it requests. */
  kill(index: number): void;
  stop(): Promise<void>;
};

export async function startCluster({
  count,
  env = {},
  postgres: givenPostgres,
}: {
  count: number;
  env?: Record<string, string>;
  postgres?: TPostgresServer;
}): Promise<TCluster> {
  const postgres = givenPostgres ?? (await startPostgresServer());
  const databaseUrl = await postgres.createDatabase();
  const slack = await startFakeSlack();
  const common: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: CLUSTER_SESSION_SECRET,
    SUPABASE_URL: '',
    SUPABASE_SERVICE_ROLE_KEY: '',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    SLACK_BOT_TOKEN: FAKE_SLACK_TOKEN,
    SLACK_CHANNEL_ID: FAKE_SLACK_CHANNEL,
    SLACK_API_URL: slack.apiUrl,
    MODERATION: 'off',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_BURST: '1000000',
    RATE_LIMIT_IP_BURST: '1000000',
    RATE_LIMIT_MESSAGES_PER_HOUR: '1000000',
    RATE_LIMIT_IP_MESSAGES_PER_HOUR: '1000000',
    ...env,
  };
  const instances: TNextServer[] = [];
  try {
    // The first applies the migrations and indexes the docs; the others start on a ready database.
    instances.push(await startNextServer({ env: common }));
    instances.push(...(await Promise.all(Array.from({ length: count - 1 }, () => startNextServer({ env: common })))));
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.stop()));
    await slack.close();
    if (!givenPostgres) postgres.stop();
    throw error;
  }
  const dead = new Set<number>();
  const proxy = createRoundRobinProxy(() => instances.map((instance, index) => (dead.has(index) ? null : instance.url)).filter((url): url is string => url !== null));
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    instances,
    postgres,
    databaseUrl,
    slack,
    kill(index) {
      dead.add(index);
      instances[index]?.process.kill('SIGKILL');
    },
    async stop() {
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      // A server that does not stop on SIGTERM within 5 s (open streams) is killed.
      await Promise.all(
        instances.map((instance) =>
          Promise.race([
            instance.stop(),
            new Promise<void>((resolve) =>
              setTimeout(() => {
                instance.process.kill('SIGKILL');
                resolve();
              }, 5000).unref(),
            ),
          ]),
        ),
      );
      await slack.close();
      if (!givenPostgres) postgres.stop();
    },
  };
}

/**
 * Forwards each request to the next live target. A target that refuses the connection is skipped (the request
 * never reached it, so sending it elsewhere is safe); one that fails after accepting it answers 502.
 */
function createRoundRobinProxy(targets: () => string[]): http.Server {
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2000 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number) => {
        const live = targets();
        if (live.length === 0 || tries > live.length) {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'bad_gateway', message: 'No instance answered.' } }));
          return;
        }
        const target = new URL(live[next++ % live.length] as string);
        const upstream = http.request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('error', () => res.destroy());
          },
        );
        upstream.on('error', (error: NodeJS.ErrnoException) => {
          if (!res.headersSent && (error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET') && upstream.reusedSocket) return attempt(tries + 1);
          if (!res.headersSent && error.code === 'ECONNREFUSED') return attempt(tries + 1);
          if (!res.headersSent) {
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { code: 'bad_gateway', message: 'The instance went away.' } }));
          } else res.destroy();
        });
        res.on('close', () => upstream.destroy());
        upstream.end(body);
      };
      attempt(1);
    });
  });
  // A load balancer keeps idle connections open longer than its clients do (Node's fetch drops them after 4 s), so
  // that a client never sends on a connection the proxy is closing: Node's 5 s default raced the clients' reuse
  // under CI's load (a reader's POST reset, ECONNRESET, never retried).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
