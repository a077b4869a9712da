// Application code reaches the database only through `rpc`: a call of one Postgres function in
// supabase/migrations, by name, with named arguments. Both transports return the function's jsonb value.
export type TDb = {
  transport: 'pglite' | 'supabase';
  rpc<T = unknown>(name: string, args?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
};
