import { useEffect, useRef, type ReactNode } from 'react';
import { Box } from '@twilio-paste/core/box';
import { CodeBlock, CodeBlockHeader, CodeBlockWrapper } from '@twilio-paste/core/code-block';

// A fenced code block of an answer's markdown (components/assistant/markdown.tsx), in Paste's CodeBlock with
// syntax highlighting. In a file of its own so that the highlighter loads with the first answer that has code.

type TCodeLanguage = 'javascript' | 'jsx' | 'csharp' | 'php' | 'ruby' | 'python' | 'java' | 'json' | 'c' | 'bash' | 'shell' | 'go' | 'groovy';

// The languages Paste's CodeBlock highlights, and the names models commonly use for them.
const LANGUAGE_ALIASES: Record<string, TCodeLanguage> = {
  js: 'javascript',
  javascript: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'javascript',
  typescript: 'javascript',
  jsx: 'jsx',
  tsx: 'jsx',
  cs: 'csharp',
  csharp: 'csharp',
  php: 'php',
  rb: 'ruby',
  ruby: 'ruby',
  py: 'python',
  python: 'python',
  java: 'java',
  json: 'json',
  jsonc: 'json',
  c: 'c',
  bash: 'bash',
  sh: 'bash',
  zsh: 'bash',
  shell: 'shell',
  console: 'shell',
  go: 'go',
  groovy: 'groovy',
};

export function codeLanguage(lang: string | null | undefined): { highlight: TCodeLanguage; label: string } {
  const label = (lang ?? '').trim().toLowerCase();
  // Unknown languages still get a block with a copy button; shell highlighting is the least surprising.
  return { highlight: LANGUAGE_ALIASES[label] ?? 'shell', label: label || 'text' };
}

export function MarkdownCode({ value, lang }: { value: string; lang: string | null | undefined }) {
  const { highlight, label } = codeLanguage(lang);
  return (
    <ScrollableCode label={label ? `${label} code` : 'Code'}>
      <CodeBlockWrapper>
        <CodeBlockHeader as="div">{label}</CodeBlockHeader>
        <CodeBlock code={value} language={highlight} wrapLines />
      </CodeBlockWrapper>
    </ScrollableCode>
  );
}

/**
 * Paste's CodeBlock renders a <pre> that scrolls sideways but takes no focus, so keyboard users could not
 * scroll it: it is made focusable and named here (CodeBlock passes no props to its <pre>).
 */
function ScrollableCode({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    for (const pre of ref.current?.querySelectorAll('pre') ?? []) {
      pre.tabIndex = 0;
      pre.setAttribute('aria-label', label);
    }
  });
  return (
    <Box ref={ref} marginBottom="space40" whiteSpace="normal">
      {children}
    </Box>
  );
}
