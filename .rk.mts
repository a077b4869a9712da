import { readdirSync } from 'node:fs';
import { indexSpecs, rankApiTasks, loadApiTaskSet } from './scripts/lib/search-api-tasks';
const { db } = await indexSpecs('/work/shared/corpora/twilio-openapi');
for (const f of readdirSync('evals/api').sort()) {
  const set = loadApiTaskSet('evals/api/' + f);
  for (const r of await rankApiTasks(db, set.questions)) console.log(f, r.rank, r.task.q);
}
