// Runs once when the Next server starts: validate the configuration (a misconfiguration stops start-up with
// one line), open the database, apply migrations, index the docs and resume runs left by a previous process.
// First, the guard that answers TRACE on pages with a 405, which Next's proxy cannot (lib/http/page-methods.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installPageMethodGuard } = await import('./lib/http/page-methods');
  installPageMethodGuard();
  const { boot } = await import('./lib/boot');
  await boot();
}
