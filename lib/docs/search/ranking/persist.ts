import { createHash } from 'node:crypto';
import { type FileHandle, mkdir, open, rename } from 'node:fs/promises';
import path from 'node:path';
import { tokenize } from './text';
import { derivedLookups, postingViews, sectionHeads, type TCompactPostings, type TPerField, type TRankIndex, type TRankPage, type TRankSectionHead } from './build';

// The ranking index on disk, so that a restarted server searches at once instead of building it again (at ten times
// the Paste corpus the build is seconds of CPU: tokenizing and counting 25,000 sections). One file per database:
// the index's flat arrays (TCompactPostings, each section's words) as raw bytes, and the rest (the sections' heads,
// pages, words) as JSON. Like the index in memory, it holds no section's text (build.ts).
//
// A file is trusted only when everything about it checks: its magic and format (a file of an older layout is
// rebuilt, never read), its checksum over all of its bytes (a torn or corrupted file is rebuilt), and the key it was
// written for, the stored version and fingerprint of the docs (store.ts): a file of other docs is rebuilt. Reading
// never throws: anything wrong is a reason, and the caller builds the index from the database as before.

/** Bumped whenever the layout or what the build computes changes: files of another format are rebuilt. */
export const RANK_INDEX_FORMAT = 5;

/**
 * What the text handling makes of a probe, hashed: part of a file's key, so that a change to tokenizing (folding,
 * stop words, stems, a language's endings) rebuilds the kept index even when nobody bumps RANK_INDEX_FORMAT.
 */
const TOKENIZER_PROBE =
  'Créer les notifications: Buttons buttoned theming ÜBER-résumé useColorMode() z-index 1.x the of and — ' +
  'How do I configure Slack? ¿Cómo configurar las notificaciones? Wie konfiguriere ich die Seitenleiste? camelCaseName snake_case_name';
export const TOKENIZER_FINGERPRINT = createHash('sha256').update(JSON.stringify(tokenize(TOKENIZER_PROBE))).digest('hex').slice(0, 16);

const MAGIC = Buffer.from('PARANKIX', 'latin1');
/** magic (8), format (u32), JSON length (u32), sha-256 of everything after this header (32). */
const HEADER_BYTES = MAGIC.length + 4 + 4 + 32;

export const RANK_INDEX_FILE = 'rank-index.bin';

type TArrayKind = 'i32' | 'u32' | 'u16' | 'u8' | 'f64';
type TTyped = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

const CONSTRUCTORS = { i32: Int32Array, u32: Uint32Array, u16: Uint16Array, u8: Uint8Array, f64: Float64Array } as const;

function kindOf(array: TTyped): TArrayKind {
  if (array instanceof Int32Array) return 'i32';
  if (array instanceof Uint32Array) return 'u32';
  if (array instanceof Uint16Array) return 'u16';
  if (array instanceof Uint8Array) return 'u8';
  return 'f64';
}

/** What the JSON part holds: the index's fields that are not flat arrays, and where each array starts in the binary part. */
type TJson = {
  key: string;
  sections: TRankSectionHead[];
  pages: (Omit<TRankPage, 'titleStems'> & { titleStems: string[] })[];
  headingStems: string[];
  averageLengths: TPerField;
  maxIdf: number;
  words: TRankIndex['words'];
  averagePageLength: number;
  newestUpdate: number | null;
  terms: string[];
  learned: TRankIndex['learned'];
  arrays: Record<string, { kind: TArrayKind; offset: number; length: number }>;
};

/**
 * The index as a file's pieces, for `key` (what it was built from: store.ts): its header, then the pieces of its body
 * in order (the JSON part, then each array's own bytes, each padded to 8). The arrays are views of the index, not
 * copies: at a hundred times the Paste corpus the file is 300 MB, and one buffer of it all, garbage once written, held
 * that much of a server's memory until a full collection.
 */
function filePieces(index: TRankIndex, key: string): { header: Buffer; body: Uint8Array[] } {
  const { terms, ...flat } = index.compact;
  const arrays: Record<string, TTyped> = {
    ...flat,
    sectionPage: Int32Array.from(index.sectionPage),
    fieldLengths: index.fieldLengths,
    showsHow: index.showsHow,
    sectionWordOffsets: index.sectionWords.offsets,
    sectionWordIds: index.sectionWords.ids,
    pageLengths: Float64Array.from(index.pageLengths),
  };
  const placed: TJson['arrays'] = {};
  let offset = 0;
  for (const [name, array] of Object.entries(arrays)) {
    placed[name] = { kind: kindOf(array), offset, length: array.length };
    // Each array starts on 8 bytes, so that it is read back as a view of the file without a copy.
    offset += Math.ceil(array.byteLength / 8) * 8;
  }
  const json: TJson = {
    key,
    sections: index.sections,
    pages: index.pages.map((page) => ({ ...page, titleStems: [...page.titleStems] })),
    headingStems: index.headingStems,
    averageLengths: index.averageLengths,
    maxIdf: index.maxIdf,
    words: index.words,
    averagePageLength: index.averagePageLength,
    newestUpdate: index.newestUpdate,
    terms,
    learned: index.learned,
    arrays: placed,
  };
  const jsonBytes = Buffer.from(JSON.stringify(json), 'utf8');
  const body: Uint8Array[] = [jsonBytes, padding(HEADER_BYTES + jsonBytes.length)];
  for (const array of Object.values(arrays)) body.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), padding(array.byteLength));
  const hash = createHash('sha256');
  for (const piece of body) hash.update(piece);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(RANK_INDEX_FORMAT, MAGIC.length);
  header.writeUInt32LE(jsonBytes.length, MAGIC.length + 4);
  hash.digest().copy(header, MAGIC.length + 8);
  return { header, body: body.filter((piece) => piece.length > 0) };
}

/** The zeros that bring `length` bytes to a multiple of 8. */
function padding(length: number): Uint8Array {
  return new Uint8Array(Math.ceil(length / 8) * 8 - length);
}

/** The index as the bytes of one file, for `key`: what writePersistedRankIndex writes (a bench's and a test's copy). */
export function serializeRankIndex(index: TRankIndex, key: string): Buffer {
  const { header, body } = filePieces(index, key);
  return Buffer.concat([header, ...body]);
}

export type TReadOutcome = { index: TRankIndex } | { index: null; reason: string };

type THeader = { jsonLength: number; checksum: Buffer };

/** The header's fields if `header` starts a file of this format; else why not. */
function readHeader(header: Buffer): THeader | { reason: string } {
  if (header.length < HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) return { reason: 'not a ranking index file' };
  const format = header.readUInt32LE(MAGIC.length);
  if (format !== RANK_INDEX_FORMAT) return { reason: `format ${format}, not ${RANK_INDEX_FORMAT}` };
  return { jsonLength: header.readUInt32LE(MAGIC.length + 4), checksum: header.subarray(MAGIC.length + 8, HEADER_BYTES) };
}

/** Where the binary part starts in a file whose JSON part is `jsonLength` bytes. */
const binaryStartOf = (jsonLength: number) => Math.ceil((HEADER_BYTES + jsonLength) / 8) * 8;

/** The index in `bytes` if they are a whole, intact file of this format written for `key`; else why not. */
export function deserializeRankIndex(bytes: Buffer, key: string): TReadOutcome {
  const header = readHeader(bytes);
  if ('reason' in header) return { index: null, ...header };
  const binaryStart = binaryStartOf(header.jsonLength);
  if (bytes.length < binaryStart) return { index: null, reason: 'checksum mismatch (a torn or corrupted file)' };
  // One copy of the binary part into an ArrayBuffer of its own (aligned at 0), of which every array is a view.
  const binary = new Uint8Array(bytes.length - binaryStart);
  binary.set(bytes.subarray(binaryStart));
  return indexOfParts(header, bytes.subarray(HEADER_BYTES, binaryStart), binary, key);
}

/**
 * The index from a file's parts: `jsonPart` (the JSON, then its padding) and `binary` (the arrays, at offset 0 of a
 * buffer of its own), if their checksum is the header's and the JSON names `key`; else why not.
 */
function indexOfParts(header: THeader, jsonPart: Uint8Array, binary: Uint8Array<ArrayBuffer>, key: string): TReadOutcome {
  const checksum = createHash('sha256').update(jsonPart).update(binary).digest();
  if (!checksum.equals(header.checksum)) return { index: null, reason: 'checksum mismatch (a torn or corrupted file)' };
  let json: TJson;
  try {
    json = JSON.parse(Buffer.from(jsonPart.buffer, jsonPart.byteOffset, header.jsonLength).toString('utf8')) as TJson;
  } catch {
    return { index: null, reason: 'unreadable JSON part' };
  }
  if (json.key !== key) return { index: null, reason: 'written for other docs (a stale index)' };
  const array = <T extends TTyped>(name: string): T => {
    const placed = json.arrays[name];
    if (!placed) throw new Error(`array ${name} missing`);
    return new CONSTRUCTORS[placed.kind](binary.buffer, placed.offset, placed.length) as T;
  };
  try {
    const compact: TCompactPostings = {
      terms: json.terms,
      offsets: array('offsets'),
      sections: array('sections'),
      tf: array('tf'),
      idf: array('idf'),
      sectionTermOffsets: array('sectionTermOffsets'),
      sectionTermIds: array('sectionTermIds'),
      sectionTermCounts: array('sectionTermCounts'),
      pageOffsets: array('pageOffsets'),
      pagePages: array('pagePages'),
      pageTf: array('pageTf'),
      pageIdf: array('pageIdf'),
    };
    const pages: TRankPage[] = json.pages.map((page) => ({ ...page, titleStems: new Set(page.titleStems) }));
    const views = postingViews(compact);
    return {
      index: {
        ...views,
        ...derivedLookups(json.words, pages, views.postings),
        sections: sectionHeads(json.sections),
        sectionPage: Array.from(array<Int32Array>('sectionPage')),
        fieldLengths: array<Int32Array>('fieldLengths'),
        headingStems: json.headingStems,
        averageLengths: json.averageLengths,
        pages,
        maxIdf: json.maxIdf,
        words: json.words,
        sectionWords: { offsets: array('sectionWordOffsets'), ids: array('sectionWordIds') },
        showsHow: array('showsHow'),
        pageLengths: Array.from(array<Float64Array>('pageLengths')),
        averagePageLength: json.averagePageLength,
        newestUpdate: json.newestUpdate,
        compact,
        learned: json.learned,
      },
    };
  } catch (error) {
    return { index: null, reason: `malformed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * The index kept in `dir` for `key`, or why there is none to trust (no file, another key, a damaged file). The file
 * is read in its parts: the binary part straight into the buffer the index's arrays are views of (a whole-file
 * buffer, copied from, held a restarted server's memory at its peak twice the index).
 */
export async function readPersistedRankIndex({ dir, key }: { dir: string; key: string }): Promise<TReadOutcome> {
  let file: FileHandle;
  try {
    file = await open(path.join(dir, RANK_INDEX_FILE), 'r');
  } catch (error) {
    return { index: null, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no file' : `unreadable: ${(error as Error).message}` };
  }
  try {
    const { size } = await file.stat();
    const header = readHeader(await readAt(file, 0, Math.min(size, HEADER_BYTES)));
    if ('reason' in header) return { index: null, ...header };
    const binaryStart = binaryStartOf(header.jsonLength);
    if (size < binaryStart) return { index: null, reason: 'checksum mismatch (a torn or corrupted file)' };
    const jsonPart = await readAt(file, HEADER_BYTES, binaryStart - HEADER_BYTES);
    const binary = new Uint8Array(size - binaryStart);
    await readInto(file, binary, binaryStart);
    return indexOfParts(header, jsonPart, binary, key);
  } catch (error) {
    return { index: null, reason: `unreadable: ${(error as Error).message}` };
  } finally {
    await file.close();
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const bytes = Buffer.alloc(length);
  await readInto(file, bytes, position);
  return bytes;
}

/** Fills `target` from the file at `position` (a read may return fewer bytes than asked). */
async function readInto(file: FileHandle, target: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < target.length; ) {
    const { bytesRead } = await file.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) throw new Error('the file ended early');
    done += bytesRead;
  }
}

/** Writes the index to `dir` for `key`, whole or not at all (a temporary file renamed over the old one), piece by piece. */
export async function writePersistedRankIndex({ dir, index, key }: { dir: string; index: TRankIndex; key: string }): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, RANK_INDEX_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  const { header, body } = filePieces(index, key);
  const handle = await open(temporary, 'w');
  try {
    await handle.writev([header, ...body]);
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}
