import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
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
export const RANK_INDEX_FORMAT = 4;

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

/** The index as the bytes of one file, for `key` (what it was built from: store.ts). */
export function serializeRankIndex(index: TRankIndex, key: string): Buffer {
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
  const jsonPadded = Math.ceil((HEADER_BYTES + jsonBytes.length) / 8) * 8 - HEADER_BYTES;
  const out = Buffer.alloc(HEADER_BYTES + jsonPadded + offset);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(RANK_INDEX_FORMAT, MAGIC.length);
  out.writeUInt32LE(jsonBytes.length, MAGIC.length + 4);
  jsonBytes.copy(out, HEADER_BYTES);
  const binaryStart = HEADER_BYTES + jsonPadded;
  for (const [name, array] of Object.entries(arrays)) {
    Buffer.from(array.buffer, array.byteOffset, array.byteLength).copy(out, binaryStart + placed[name]!.offset);
  }
  createHash('sha256').update(out.subarray(HEADER_BYTES)).digest().copy(out, MAGIC.length + 8);
  return out;
}

export type TReadOutcome = { index: TRankIndex } | { index: null; reason: string };

/** The index in `bytes` if they are a whole, intact file of this format written for `key`; else why not. */
export function deserializeRankIndex(bytes: Buffer, key: string): TReadOutcome {
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { index: null, reason: 'not a ranking index file' };
  const format = bytes.readUInt32LE(MAGIC.length);
  if (format !== RANK_INDEX_FORMAT) return { index: null, reason: `format ${format}, not ${RANK_INDEX_FORMAT}` };
  const checksum = createHash('sha256').update(bytes.subarray(HEADER_BYTES)).digest();
  if (!checksum.equals(bytes.subarray(MAGIC.length + 8, HEADER_BYTES))) return { index: null, reason: 'checksum mismatch (a torn or corrupted file)' };
  const jsonLength = bytes.readUInt32LE(MAGIC.length + 4);
  let json: TJson;
  try {
    json = JSON.parse(bytes.subarray(HEADER_BYTES, HEADER_BYTES + jsonLength).toString('utf8')) as TJson;
  } catch {
    return { index: null, reason: 'unreadable JSON part' };
  }
  if (json.key !== key) return { index: null, reason: 'written for other docs (a stale index)' };
  const binaryStart = Math.ceil((HEADER_BYTES + jsonLength) / 8) * 8;
  // One copy of the binary part into an ArrayBuffer of its own (aligned at 0), of which every array is a view.
  const binary = new Uint8Array(bytes.length - binaryStart);
  binary.set(bytes.subarray(binaryStart));
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

/** The index kept in `dir` for `key`, or why there is none to trust (no file, another key, a damaged file). */
export async function readPersistedRankIndex({ dir, key }: { dir: string; key: string }): Promise<TReadOutcome> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path.join(dir, RANK_INDEX_FILE));
  } catch (error) {
    return { index: null, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no file' : `unreadable: ${(error as Error).message}` };
  }
  return deserializeRankIndex(bytes, key);
}

/** Writes the index to `dir` for `key`, whole or not at all (a temporary file renamed over the old one). */
export async function writePersistedRankIndex({ dir, index, key }: { dir: string; index: TRankIndex; key: string }): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, RANK_INDEX_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, serializeRankIndex(index, key));
  await rename(temporary, file);
}
