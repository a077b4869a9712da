// HTTP Strict Transport Security. A deployment whose public address (SITE_URL) is https tells browsers to reach it
// over https only, for a year, so that a first visit typed as http:// or a downgrading network cannot strip TLS
// from later ones. An http SITE_URL (a laptop, a private network) gets no header: a browser that kept the policy
// for a host name would then refuse that host's plain http. Subdomains are left alone (no includeSubDomains):
// they are other sites, which may not serve https.

export const HSTS_MAX_AGE_SECONDS = 365 * 86_400;

/** The Strict-Transport-Security value for a site served at `siteUrl`, or null when it is not https. */
export function strictTransportSecurity(siteUrl: string): string | null {
  return siteUrl.startsWith('https:') ? `max-age=${HSTS_MAX_AGE_SECONDS}` : null;
}
