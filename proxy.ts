import { NextResponse, type NextRequest } from 'next/server';
import { loadConfig } from './lib/config';
import { isPageMethod, pageMethodNotAllowed } from './lib/page-methods';
import { strictTransportSecurity } from './lib/transport-security';

// Runs before the site's pages (Next's proxy, on the Node.js runtime). Its jobs: Strict-Transport-Security on
// every page when SITE_URL is https (lib/transport-security.ts), and a 405 with Allow for a method a page does
// not answer (lib/page-methods.ts; TRACE never gets here, and is refused there). SITE_URL is read when
// the server runs, not when it was built, which next.config.mjs's headers() could not do: one build serves any
// address. The API routes set the header themselves (lib/http.ts), and stay out of the matcher so that their
// request bodies reach them as sent.

export function proxy(request: NextRequest) {
  const value = strictTransportSecurity(loadConfig().siteUrl);
  let response: NextResponse;
  if (isPageMethod(request.method)) response = NextResponse.next();
  else {
    const refusal = pageMethodNotAllowed({ method: request.method, accept: request.headers.get('accept') });
    response = new NextResponse(refusal.body, { status: refusal.status, headers: refusal.headers });
  }
  if (value) response.headers.set('Strict-Transport-Security', value);
  return response;
}

// The pages, as lib/page-methods.ts's PAGE_PATH has them.
export const config = {
  matcher: ['/', '/docs', '/docs/:path*', '/assistant', '/embed', '/maintainers', '/maintainers/:path*'],
};
