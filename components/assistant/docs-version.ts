// Where the reader is, for versioned docs (issue 38): the version of the docs page being read (the site's page sets
// it, pages/docs/[[...slug]].tsx), or, in the embed, the host's data-version and the host page's address
// (components/embed/EmbedApp.tsx). A conversation takes its version from where it starts: a new thread is created
// with it (metadata `version`, or `pageUrl` for the server to read the version from), and the site's search asks
// for it. Plain module state: no assistant code, so the docs page's first load can carry it.

let version: string | null = null;
let pageUrl: string | null = null;

/** The version of the page being read; null on a page of no version (the current version is searched). */
export function setDocsVersion(next: string | null): void {
  version = next;
}

export function getDocsVersion(): string | null {
  return version;
}

/** The embed's host page (origin and path), whose address may carry the version (DOCS_VERSION_PATTERN). */
export function setHostPageUrl(next: string | null): void {
  pageUrl = next;
}

/** What a new thread is created with: the version when it is known here, else the host page for the server to read. */
export function newThreadBody(): { metadata: { version: string } } | { pageUrl: string } | undefined {
  if (version !== null) return { metadata: { version } };
  if (pageUrl !== null) return { pageUrl };
  return undefined;
}
