import { useEffect, useId, useRef, useState } from 'react';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Input } from '@twilio-paste/core/input';
import { ScreenReaderOnly } from '@twilio-paste/core/screen-reader-only';
import { Text } from '@twilio-paste/core/text';
import { SearchIcon } from '@twilio-paste/icons/cjs/SearchIcon';

type TResult = { url: string; title: string; heading: string; content: string };

const DEBOUNCE_MS = 200;

/** The header's search box: asks POST /api/docs-search as the reader types and lists the matching sections. */
export function DocsSearch() {
  const inputId = useId();
  const listId = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<TResult[]>([]);
  const [status, setStatus] = useState<'idle' | 'loading' | 'done' | 'error'>('idle');
  const [isOpen, setIsOpen] = useState(false);
  const boxRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const prompt = query.trim();
    if (prompt === '') return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setStatus('loading');
      try {
        const response = await fetch('/api/docs-search', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ prompt: prompt.slice(0, 500), limit: 8 }),
          signal: controller.signal,
        });
        if (!response.ok) throw new Error(`search failed (${response.status})`);
        const payload = (await response.json()) as { data: TResult[] };
        setResults(payload.data);
        setStatus('done');
      } catch (error) {
        if ((error as Error).name !== 'AbortError') setStatus('error');
      }
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (boxRef.current && !boxRef.current.contains(event.target as Node)) setIsOpen(false);
    };
    document.addEventListener('mousedown', onClick);
    return () => document.removeEventListener('mousedown', onClick);
  }, []);

  const showPanel = isOpen && query.trim() !== '' && status !== 'idle';
  return (
    <Box ref={boxRef} position="relative" width="size40" maxWidth="100%" role="search">
      <ScreenReaderOnly>
        <label htmlFor={inputId}>Search the docs</label>
      </ScreenReaderOnly>
      <Input
        id={inputId}
        type="search"
        placeholder="Search the docs"
        value={query}
        insertBefore={<SearchIcon decorative />}
        aria-controls={listId}
        aria-expanded={showPanel}
        onChange={(event) => {
          setQuery(event.target.value);
          setIsOpen(true);
          if (event.target.value.trim() === '') {
            setResults([]);
            setStatus('idle');
          }
        }}
        onFocus={() => setIsOpen(true)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setIsOpen(false);
          if (event.key === 'Enter' && results[0]) window.location.assign(results[0].url);
        }}
      />
      {showPanel ? (
        <Box
          id={listId}
          position="absolute"
          top="100%"
          left="space0"
          right="space0"
          marginTop="space20"
          backgroundColor="colorBackgroundBody"
          borderStyle="solid"
          borderWidth="borderWidth10"
          borderColor="colorBorderWeak"
          borderRadius="borderRadius30"
          boxShadow="shadowElevation10"
          maxHeight="size50"
          overflowY="auto"
          zIndex="zIndex80"
          padding="space30"
          aria-live="polite"
        >
          {status === 'loading' && results.length === 0 ? <Text as="p">Searching…</Text> : null}
          {status === 'error' ? <Text as="p" color="colorTextError">Search is unavailable right now.</Text> : null}
          {status === 'done' && results.length === 0 ? <Text as="p">No section matches “{query.trim()}”.</Text> : null}
          <Box as="ul" margin="space0" padding="space0" listStyleType="none">
            {results.map((result) => (
              <Box as="li" key={result.url} paddingY="space30" paddingX="space20" borderBottomStyle="solid" borderBottomWidth="borderWidth10" borderBottomColor="colorBorderWeaker">
                <Anchor href={result.url}>{result.heading ? `${result.title} › ${result.heading}` : result.title}</Anchor>
                <Text as="p" fontSize="fontSize20" color="colorTextWeak">
                  {result.content.replace(/```\w*/g, '').replace(/\s+/g, ' ').slice(0, 140)}
                  {result.content.length > 140 ? '…' : ''}
                </Text>
              </Box>
            ))}
          </Box>
        </Box>
      ) : null}
    </Box>
  );
}
