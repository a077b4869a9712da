import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { Box } from '@twilio-paste/core/box';
import { Callout, CalloutHeading, CalloutText } from '@twilio-paste/core/callout';
import { Anchor } from '@twilio-paste/core/anchor';
import { MaintainerDashboard } from '@/components/maintainers/Dashboard';
import { MaintainerSignIn } from '@/components/maintainers/SignIn';
import { SiteTheme } from '@/components/site/SiteTheme';
import type { TDashboardPageResult } from '@/lib/maintainers/page';

// The maintainers' dashboard (lib/maintainers/page.ts#loadDashboardPage): charts over a period, the questions
// the docs fail. Rendered on the server; 401 with a way in for anyone without a link or the token.

/** The dashboard's data, and each chat door's label (from the doors' registry) for where questions came from. */
type TProps = TDashboardPageResult['props'] & { doorLabels: Record<string, string> };

export const getServerSideProps: GetServerSideProps<TProps> = async ({ req, res, query }) => {
  const [{ getApp }, { loadDashboardPage }, { DOOR_THREAD_SOURCES }] = await Promise.all([import('@/lib/app'), import('@/lib/maintainers/page'), import('@/lib/chat-doors/doors')]);
  const [{ appForRequest }, served] = await Promise.all([import('@/lib/http/site-url'), getApp()]);
  // Its transcript links point where the dashboard was reached (SITE_URL when set).
  const app = appForRequest({ req, app: served });
  const result = await loadDashboardPage({ deps: app, headers: req.headers, query });
  res.statusCode = result.status;
  res.setHeader('Cache-Control', 'private, no-store');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  // A link carries its signature: keep it out of Referer headers when a maintainer follows a link out.
  res.setHeader('Referrer-Policy', 'no-referrer');
  const doorLabels = Object.fromEntries(DOOR_THREAD_SOURCES.map(({ source, label }) => [source, label]));
  return { props: { ...result.props, doorLabels } };
};

// Drawn with Paste's components, under Paste's theme (the docs pages' _app carries none of it).
export default function MaintainersPage(props: TProps) {
  return (
    <SiteTheme>
      <Head>
        <title>Maintainers’ dashboard · Paste Assistant</title>
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
      </Head>
      {props.kind === 'sign-in' ? <MaintainerSignIn canUseToken={props.canUseToken} /> : null}
      {props.kind === 'dashboard' ? <MaintainerDashboard view={props.view} link={props.link} doorLabels={props.doorLabels} /> : null}
      {props.kind === 'bad-period' ? (
        <Box as="main" maxWidth="size60" marginX="auto" padding="space90">
          <Callout variant="error">
            <CalloutHeading as="h1">That period does not work</CalloutHeading>
            <CalloutText>
              {props.message}{' '}
              <Anchor href={props.link ? `/maintainers?exp=${props.link.exp}&sig=${props.link.sig}` : '/maintainers'}>Back to the last 30 days</Anchor>
            </CalloutText>
          </Callout>
        </Box>
      ) : null}
    </SiteTheme>
  );
}
