import { useEffect, useState } from 'react';
import { Icon } from '@/components/site/Icon';

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
    <div className="code-block" data-testid="code-block">
      <div className="code-block-copy">
        <button type="button" className="button button-secondary button-small" onClick={copy} aria-label={`Copy ${language || 'code'} to clipboard`}>
          <Icon name="CopyIcon" />
          {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
        </button>
      </div>
      {language ? <div className="code-block-language">{language}</div> : null}
      {/* Scrolls sideways: focusable, so the keyboard can scroll it too. */}
      <pre tabIndex={0} aria-label={language ? `${language} code` : 'Code'}>
        <code>{code}</code>
      </pre>
    </div>
  );
}
