import { NextResponse, type NextRequest } from 'next/server';
import { API_PATH, isUndecodablePath, undecodablePathRefusal } from './lib/http/api-paths';
import { loadConfig } from './lib/config';
import { isPageMethod, pageMethodNotAllowed } from './lib/http/page-methods';
import { strictTransportSecurity } from './lib/http/transport-security';

// Runs before the site's pages (Next's proxy, on the Node.js runtime). Its jobs: Strict-Transport-Security on
// every page when SITE_URL is https (lib/http/transport-security.ts), and a 405 with Allow for a method a page does
// not answer (lib/http/page-methods.ts; TRACE never gets here, and is refused there). SITE_URL is read when
// the server runs, not when it was built, which next.config.mjs's headers() could not do: one build serves any
// address. The API routes set the header themselves (lib/http/index.ts), and stay out of the matcher so that their
// request bodies reach them as sent; but for their paths that carry a `%`, whose escapes the proxy checks before
// Next decodes them into an HTML 400 (lib/http/api-paths.ts). Those that decode go on untouched.

export function proxy(request: NextRequest) {
  const pathname = request.nextUrl.pathname;
  if (API_PATH.test(pathname)) {
    if (!isUndecodablePath(pathname)) return NextResponse.next();
    const refusal = undecodablePathRefusal(pathname);
    return new NextResponse(refusal.body, { status: refusal.status, headers: refusal.headers });
  }
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

// The pages, as lib/http/page-methods.ts's PAGE_PATH has them; and the API's paths with a `%` in them (lib/http/api-paths.ts).
export const config = {
  matcher: [
    '/',
    '/docs',
    '/docs/:path*',
    '/assistant',
    '/embed',
    '/maintainers',
    '/maintainers/:path*',
    '/shared',
    '/shared/:path*',
    '/api/:path(.*%.*)',
    '/v1/:path(.*%.*)',
  ],
};
