/** Loads the project's .env files from `dir` into process.env as `next start` does; returns the files read. */
export function loadProjectEnv(dir?: string): string[];
