export declare const DEFAULT_DOCS_DIR: string;
export declare function resolveDocsDir(value: string | undefined, cwd: string): string;
export declare function isDocFile(name: string): boolean;
export declare function listDocFiles(docsDir: string): string[];
export declare function isPartialFile(name: string): boolean;
export declare function isHugoIndexFile(name: string): boolean;
export declare function listPartialFiles(docsDir: string): string[];
