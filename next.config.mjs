/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // PGlite loads its WASM and data files from its own package folder at run time; bundling breaks that.
  serverExternalPackages: ['@electric-sql/pglite', 'pino'],
};

export default nextConfig;
