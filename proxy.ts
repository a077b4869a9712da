import { NextResponse } from 'next/server';
import { loadConfig } from './lib/config';
import { strictTransportSecurity } from './lib/transport-security';

// Runs before the site's pages (Next's proxy, on the Node.js runtime). Its one job: Strict-Transport-Security on
// every page when SITE_URL is https (lib/transport-security.ts). SITE_URL is read when the server runs, not when
// it was built, which next.config.mjs's headers() could not do: one build serves any address. The API routes set
// the header themselves (lib/http.ts), and stay out of the matcher so that their request bodies reach them as sent.

export function proxy() {
  const value = strictTransportSecurity(loadConfig().siteUrl);
  const response = NextResponse.next();
  if (value) response.headers.set('Strict-Transport-Security', value);
  return response;
}

export const config = {
  matcher: ['/', '/docs', '/docs/:path*', '/assistant', '/embed', '/maintainers', '/maintainers/:path*'],
};
