import { useState, type FormEvent } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Callout, CalloutText } from '@twilio-paste/core/callout';
import { Heading } from '@twilio-paste/core/heading';
import { HelpText } from '@twilio-paste/core/help-text';
import { Input } from '@twilio-paste/core/input';
import { Label } from '@twilio-paste/core/label';
import { Paragraph } from '@twilio-paste/core/paragraph';

// The dashboard without access (401): how to get in. With MAINTAINER_TOKEN configured, a form exchanges the token
// for an httpOnly cookie (POST /api/maintainers/session) and reloads; the token is not kept by the page.

export function MaintainerSignIn({ canUseToken }: { canUseToken: boolean }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isSending, setIsSending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setIsSending(true);
    setError(null);
    try {
      const response = await fetch('/api/maintainers/session', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ token }),
        credentials: 'same-origin',
      });
      if (response.ok) {
        setToken('');
        window.location.reload();
        return;
      }
      const payload = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      setError(payload?.error?.message ?? `Sign-in failed (${response.status}).`);
    } catch {
      setError('Could not reach the server. Check your connection and try again.');
    } finally {
      setIsSending(false);
    }
  }

  return (
    <Box as="main" maxWidth="size60" marginX="auto" paddingX="space60" paddingY="space90">
      <Heading as="h1" variant="heading20">
        Maintainers’ dashboard
      </Heading>
      <Paragraph>
        Open it with the link in the weekly Slack digest, or print one with <code>npm run report -- --link</code>.
        {canUseToken ? ' Or sign in with the maintainer token.' : ''}
      </Paragraph>
      {canUseToken ? (
        <form onSubmit={(event) => void submit(event)} aria-label="Sign in">
        <Box display="flex" flexDirection="column" rowGap="space40">
          <Box>
            <Label htmlFor="maintainer-token" required>
              Maintainer token
            </Label>
            <Input
              id="maintainer-token"
              name="token"
              type="password"
              autoComplete="current-password"
              value={token}
              onChange={(event) => setToken(event.target.value)}
              hasError={error !== null}
              aria-describedby="maintainer-token-help"
              required
            />
            <HelpText id="maintainer-token-help" variant={error ? 'error' : 'default'}>
              {error ?? 'MAINTAINER_TOKEN from the server’s configuration. Signs this browser in for 12 hours.'}
            </HelpText>
          </Box>
          <Box>
            <Button type="submit" variant="primary" loading={isSending}>
              Sign in
            </Button>
          </Box>
        </Box>
        </form>
      ) : (
        <Callout variant="neutral">
          <CalloutText>No MAINTAINER_TOKEN is configured on this server: only signed links open the dashboard.</CalloutText>
        </Callout>
      )}
    </Box>
  );
}
