// `npm run db:supabase-migration`: writes the schema files (supabase/schemas) that changed since the last run
// into a new migration for `supabase db push`, and lists it in supabase/landed-migrations.json. Commit both,
// then push. The app's own runner applies supabase/schemas itself and only records the generated file.
import { writeSupabaseMigration } from '@/lib/db/supabase-migration';

const written = writeSupabaseMigration({ root: process.cwd() });
if (written) {
  console.log(`Wrote ${written.file} (${written.schemas.length} schema files: ${written.schemas.join(', ')}).`);
  console.log('Listed it in supabase/landed-migrations.json. Commit both, then run: supabase db push');
} else {
  console.log('Nothing to generate: the last generated migration has every schema file as it is now.');
}
