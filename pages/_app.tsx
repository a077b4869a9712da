import type { AppProps } from 'next/app';
import { Theme } from '@twilio-paste/core/theme';

export default function App({ Component, pageProps }: AppProps) {
  return (
    <Theme.Provider theme="default">
      <Component {...pageProps} />
    </Theme.Provider>
  );
}
