import type { AppProps } from 'next/app';
import { AppShell } from '@/components/site/AppShell';
import '@/styles/paste-tokens.css';
import '@/styles/site.css';

export default function App({ Component, pageProps }: AppProps) {
  return (
    <AppShell>
      <Component {...pageProps} />
    </AppShell>
  );
}
