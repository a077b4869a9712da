// The image files a paste or a drop brings to the composer, read without loading what prepares them (./screenshot.ts).

/** The image files among what was pasted or dropped (a pasted screenshot is a clipboard item of kind "file"). */
export function filesOf(data: DataTransfer | null): File[] {
  if (!data) return [];
  const files = Array.from(data.files ?? []);
  if (files.length > 0) return files;
  return Array.from(data.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((file): file is File => file !== null);
}
