import { indexIntoMemory } from './scripts/lib/search-eval';
import { printSpecsBesideDocs } from './scripts/lib/search-specs-eval';
const { db } = await indexIntoMemory('../shared/corpora/paste-docs');
await printSpecsBesideDocs(db, true);
