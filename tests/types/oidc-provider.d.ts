// oidc-provider ships no types: the little of it the tests use (tests/helpers/oidc-provider.ts).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  type TAccount = { accountId: string; claims(): Record<string, unknown> | Promise<Record<string, unknown>> };

  export type TProviderConfiguration = {
    clients?: Record<string, unknown>[];
    pkce?: { required?: () => boolean };
    claims?: Record<string, string[]>;
    cookies?: { keys?: string[] };
    ttl?: Record<string, number>;
    findAccount?: (ctx: unknown, id: string) => TAccount | Promise<TAccount>;
  };

  export default class Provider {
    constructor(issuer: string, configuration?: TProviderConfiguration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
