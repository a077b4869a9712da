import type { z } from 'zod';

export declare const DOCS_BUILD_FILE: string;
export declare const ZDocsBuildManifest: z.ZodObject<{
  version: z.ZodLiteral<1>;
  docsDir: z.ZodString;
  fingerprint: z.ZodString;
  files: z.ZodRecord<z.ZodString, z.ZodString>;
  builtAt: z.ZodString;
  audienceRules: z.ZodOptional<z.ZodString>;
}>;
export type TDocsBuildManifest = z.infer<typeof ZDocsBuildManifest>;

/** The docs found in a folder: each page's sha256 (and site.config.json's) and one fingerprint of paths and contents. */
export type TDocsFingerprint = { docsDir: string; files: Record<string, string>; fingerprint: string };

export type TDocsComparison =
  | { kind: 'unrecorded' }
  | { kind: 'same'; isMoved: boolean }
  | { kind: 'other-folder'; builtFrom: string; given: string }
  | { kind: 'changed'; docsDir: string; added: string[]; changed: string[]; removed: string[] };

export declare function fingerprintDocs(docsDir: string): TDocsFingerprint;
export declare function fingerprintOf(files: Record<string, string>): string;
export declare function audienceRulesOf(env: Record<string, string | undefined>): string;
export declare function writeDocsBuildManifest(options: { distDir: string; docs: TDocsFingerprint; audienceRules?: string; builtAt?: Date }): TDocsBuildManifest;
export declare function readDocsBuildManifest(distDir: string): TDocsBuildManifest | null;
export declare function compareDocsBuild(manifest: TDocsBuildManifest | null, current: TDocsFingerprint): TDocsComparison;
export declare function describeDocsChanges(changes: { added: string[]; changed: string[]; removed: string[] }): string;
export declare function describeDocsMismatch(comparison: TDocsComparison, options?: { folderExists?: boolean }): string | null;
export declare function reasonToRebuild(options: {
  hasBuild: boolean;
  changedSources: string[];
  comparison: TDocsComparison;
  audienceRules?: { builtWith: string | undefined; given: string };
}): string | null;
