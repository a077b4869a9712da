import { Icon } from '@/components/site/Icon';
import { ArtificialIntelligenceIcon } from '@/components/site/paste-icons/ArtificialIntelligenceIcon';
import { CopyIcon } from '@/components/site/paste-icons/CopyIcon';

/**
 * A fenced code block with a copy button and an "Ask about this" button (hidden until the page's script shows it). Rendered to static HTML (components/docs/static-html.tsx): the button
 * works by delegation (components/docs/code-copy.ts), which copies the block's code and says "Copied" in its
 * label for two seconds.
 */
export function CodeBlock({ code, language }: { code: string; language: string }) {
  return (
    <div className="code-block" data-testid="code-block">
      <div className="code-block-copy">
        {/* Shown and handled by the page's script (components/docs/AskAboutPage.tsx); hidden without it. */}
        <button type="button" className="button button-secondary button-small" data-code-ask="" hidden aria-label={`Ask about this ${language ? `${language} ` : ''}code`}>
          <Icon icon={ArtificialIntelligenceIcon} />
          <span>Ask about this</span>
        </button>
        <button type="button" className="button button-secondary button-small" data-code-copy="" aria-label={`Copy ${language || 'code'} to clipboard`}>
          <Icon icon={CopyIcon} />
          <span data-code-copy-label="">Copy</span>
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
