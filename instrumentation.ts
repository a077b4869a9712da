// Runs once when the Next server starts: validate the configuration (a misconfiguration stops start-up with
// one line), open the database, apply migrations, index the docs and resume runs left by a previous process.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { boot } = await import('./lib/boot');
  await boot();
}
