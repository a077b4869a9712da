import { defineRoute, textResult } from '@/lib/http';
import { WIDGET_MAX_AGE_SECONDS, widgetScript } from '@/lib/embed/widget';

// /widget.js (rewritten here, next.config.mjs): the embed's loader. Public and cookieless; no rate limit, as
// every page view of a host site loads it (browsers and CDNs cache it).
export default defineRoute(
  {
    async GET({ app }) {
      return textResult({
        text: widgetScript(app.config),
        contentType: 'text/javascript; charset=utf-8',
        headers: { 'Cache-Control': `public, max-age=${WIDGET_MAX_AGE_SECONDS}`, 'Cross-Origin-Resource-Policy': 'cross-origin' },
      });
    },
  },
  { isSessionless: true, isRateLimited: false },
);
