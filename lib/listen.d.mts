export declare const DEFAULT_PORT: number;
export type TListenAddress = { port: number; host: string | null };
export declare function resolveListenAddress(env: Record<string, string | undefined>, machineName: string): TListenAddress | { error: string };
export declare function nextListenArgs(address: TListenAddress): string[];
