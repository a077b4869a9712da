import { useEffect, useState } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { CopyIcon } from '@twilio-paste/icons/cjs/CopyIcon';

/** A fenced code block with a copy button; the label says "Copied" for two seconds after a copy. */
export function CodeBlock({ code, language }: { code: string; language: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <Box position="relative" marginBottom="space70" data-testid="code-block">
      <Box position="absolute" top="space30" right="space30">
        <Button variant="secondary" size="small" onClick={copy} aria-label={`Copy ${language || 'code'} to clipboard`}>
          <CopyIcon decorative />
          {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
        </Button>
      </Box>
      {language ? (
        <Box position="absolute" top="space30" left="space50" color="colorTextInverseWeak" fontSize="fontSize20" fontFamily="fontFamilyCode">
          {language}
        </Box>
      ) : null}
      <Box
        as="pre"
        // Scrolls sideways: focusable, so the keyboard can scroll it too.
        tabIndex={0}
        aria-label={language ? `${language} code` : 'Code'}
        backgroundColor="colorBackgroundInverse"
        color="colorTextInverse"
        borderRadius="borderRadius30"
        paddingX="space50"
        paddingTop="space100"
        paddingBottom="space50"
        overflowX="auto"
        fontFamily="fontFamilyCode"
        fontSize="fontSize30"
        lineHeight="lineHeight30"
        margin="space0"
      >
        <code>{code}</code>
      </Box>
    </Box>
  );
}
