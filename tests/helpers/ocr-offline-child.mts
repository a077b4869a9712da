import { readFileSync } from 'node:fs';
import { createOcr } from '../../lib/assistant/ocr';

// Bundled (esbuild, packages external) and run by tests/integration/ocr-offline.test.ts under
// tests/helpers/no-network-preload.cjs: reads the screenshot named on the command line with the app's OCR and prints
// what it read as JSON.
const silent = { info() {}, warn: (...args: unknown[]) => console.error(...args), error() {}, debug() {} };
// Generous: the test machine may be loaded; the app's bound is OCR_TIMEOUT_MS.
const ocr = createOcr({ log: silent as never, timeoutMs: 90_000 });
const text = await ocr.read(readFileSync(process.argv[2] as string));
process.stdout.write(JSON.stringify({ text }));
// Not waiting on the worker's end: a worker stuck on a refused download must not hold the process.
void ocr.stop();
process.exit(0);
