import path from 'node:path';
import type { TLogger } from '../log';

// Reads the text in a screenshot (issue 71), offline and always: tesseract.js (Tesseract compiled to WebAssembly, from
// its own package tesseract.js-core) with the English model shipped as the npm package @tesseract.js-data/eng, read from
// node_modules: nothing is downloaded, at build or at run time. One worker for the process, made at the first
// screenshot (about half a second), reading one image at a time; an image it cannot read in OCR_TIMEOUT_MS is given up
// (the worker is ended, the next image gets a new one). A failure is logged without the image and reads as no text:
// the question is then answered from what the reader typed.

/** Reads the text in an image; null when it could not (the question goes on without it). */
export type TOcr = { read(image: Buffer): Promise<string | null>; stop(): Promise<void> };

/** How long one image may take: a screenshot of an error reads in about a second on two cores. */
export const OCR_TIMEOUT_MS = 20_000;

type TWorker = { recognize(image: Buffer): Promise<{ data: { text: string } }>; terminate(): Promise<unknown> };

/** The folder holding eng.traineddata.gz (the package's integer LSTM model, Tesseract 4's, which tesseract.js 7 reads). */
function englishModelDir(): string {
  // Node's own createRequire, taken by process.getBuiltinModule: the bundler turns an imported one's resolve() into a
  // module's number in a build (as lib/docs/sources/code/tree-sitter.ts found), which the production test caught.
  const { createRequire } = process.getBuiltinModule('node:module');
  return path.join(/* turbopackIgnore: true */ path.dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/eng/package.json')), '4.0.0');
}

export function createOcr({ log, timeoutMs = OCR_TIMEOUT_MS }: { log: TLogger; timeoutMs?: number }): TOcr {
  let worker: Promise<TWorker> | null = null;
  // One image at a time: Tesseract's worker reads one, and a burst of screenshots must not hold every core.
  let queue: Promise<unknown> = Promise.resolve();

  const workerNow = () => {
    worker ??= import('tesseract.js').then(({ createWorker }) =>
      createWorker('eng', 1, { langPath: englishModelDir(), cacheMethod: 'none', gzip: true, logger: () => {}, errorHandler: () => {} }),
    ) as Promise<TWorker>;
    return worker;
  };

  const end = async () => {
    const ending = worker;
    worker = null;
    await ending?.then((current) => current.terminate()).catch(() => undefined);
  };

  async function readNow(image: Buffer): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([workerNow().then((current) => current.recognize(image)), timeout]);
      if (outcome === 'timeout') {
        log.warn({ timeoutMs }, 'ocr: a screenshot took too long to read; answered from the typed text');
        await end();
        return null;
      }
      return outcome.data.text;
    } catch (error) {
      log.warn({ err: error instanceof Error ? error.message : String(error) }, 'ocr: could not read a screenshot; answered from the typed text');
      await end();
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    read(image) {
      const next = queue.then(() => readNow(image));
      queue = next.catch(() => undefined);
      return next;
    },
    stop: end,
  };
}
