import { useRouter } from 'next/router';
import { useEffect, useId, useRef, useState } from 'react';
import { getDocsVersion } from '@/components/assistant/docs-version';
import { preloadAssistantPanel, useAssistantPanel } from '@/components/assistant/panel-context';
import { Icon } from '@/components/site/Icon';
import { SearchIcon } from '@/components/site/paste-icons/SearchIcon';

// The header's search box, an ARIA 1.2 combobox: the input keeps focus, arrow keys move through the listbox
// of matching sections (aria-activedescendant), Enter opens the active one (or the first), Escape closes the
// list. The last option hands the query to the assistant. Results come from POST /api/docs-search as the
// reader types; when a short word is in neither the docs nor an English dictionary, the server searches it
// corrected and says so.

type TResult = { url: string; path: string; title: string; heading: string; content: string };
type TSearchResponse = { data: TResult[]; corrected?: string | null };
type TOption = { kind: 'result'; result: TResult } | { kind: 'ask' };

/** An option by what it is, not where it is: "ask" stays chosen when results arrive above it. */
const optionKey = (option: TOption | undefined): string | null => (option ? (option.kind === 'ask' ? 'ask' : option.result.url) : null);

const DEBOUNCE_MS = 200;
const EXCERPT_CHARS = 140;

function excerpt(content: string): string {
  const text = content.replace(/```\w*/g, '').replace(/\s+/g, ' ').trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
}

export function DocsSearch() {
  const router = useRouter();
  const panel = useAssistantPanel();
  const inputId = useId();
  const listId = useId();
  const optionId = (index: number) => `${listId}-option-${index}`;
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<TResult[]>([]);
  const [corrected, setCorrected] = useState<string | null>(null);
  const [status, setStatus] = useState<'idle' | 'loading' | 'done' | 'error'>('idle');
  const [isOpen, setIsOpen] = useState(false);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  // ?q=<query> (the link an answer that the docs do not cover gives, on the site or in Slack): the box opens
  // with that search. The parameter is taken off the address at once, as ?ask= is.
  const searched = typeof router.query.q === 'string' ? router.query.q : null;
  const handledSearch = useRef<string | null>(null);
  useEffect(() => {
    if (!router.isReady || searched === null || handledSearch.current === searched) return;
    handledSearch.current = searched;
    const rest = { ...router.query };
    delete rest.q;
    void router
      .replace({ pathname: router.pathname, query: rest, hash: window.location.hash.slice(1) || undefined }, undefined, { shallow: true, scroll: false })
      .then(() => {
        if (searched.trim() === '') return;
        setQuery(searched.slice(0, 500));
        setIsOpen(true);
        inputRef.current?.focus();
      });
  }, [router, searched]);

  useEffect(() => {
    const prompt = query.trim();
    if (prompt === '') return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      setStatus('loading');
      try {
        // The version of the page being read, for versioned docs: its results are of that version.
        const version = getDocsVersion();
        const response = await fetch('/api/docs-search', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ prompt: prompt.slice(0, 500), limit: 8, ...(version !== null ? { version } : {}) }),
          signal: controller.signal,
        });
        if (!response.ok) throw new Error(`search failed (${response.status})`);
        const payload = (await response.json()) as TSearchResponse;
        setResults(payload.data);
        setCorrected(payload.corrected ?? null);
        // A reader who chose "Ask the assistant" while the search ran keeps that choice.
        setActiveKey((current) => (current === 'ask' ? 'ask' : null));
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
    const onPointerDown = (event: PointerEvent) => {
      if (boxRef.current && !boxRef.current.contains(event.target as Node)) setIsOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, []);

  const trimmed = query.trim();
  const options: TOption[] = status === 'idle' || trimmed === '' ? [] : [...results.map((result) => ({ kind: 'result' as const, result })), { kind: 'ask' }];
  const active = activeKey === null ? -1 : options.findIndex((option) => optionKey(option) === activeKey);

  useEffect(() => {
    if (active >= 0) document.getElementById(`${listId}-option-${active}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [active, listId]);
  const isExpanded = isOpen && options.length > 0;

  const choose = (option: TOption | undefined) => {
    if (!option) return;
    setIsOpen(false);
    setActiveKey(null);
    if (option.kind === 'ask') {
      panel.ask(trimmed);
      return;
    }
    // The reader's words led to this page: recorded for the maintainers' vocabulary suggestions. Fire and
    // forget (keepalive: it outlives the navigation); a failure changes nothing for the reader.
    void fetch('/api/docs-search-opened', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: trimmed.slice(0, 500), path: option.result.path }),
      keepalive: true,
    }).catch(() => undefined);
    void router.push(option.result.url);
  };

  return (
    <div ref={boxRef} className="search" role="search">
      <label htmlFor={inputId} className="visually-hidden">
        Search the docs
      </label>
      <div className="input-box">
        <span className="input-prefix">
          <Icon icon={SearchIcon} />
        </span>
        <input
          ref={inputRef}
          id={inputId}
          className="input"
          type="search"
          role="combobox"
          placeholder="Search the docs"
          autoComplete="off"
          value={query}
          aria-autocomplete="list"
          aria-controls={listId}
          aria-expanded={isExpanded}
          aria-activedescendant={isExpanded && active >= 0 ? optionId(active) : undefined}
          onChange={(event) => {
            setQuery(event.target.value);
            setIsOpen(true);
            setActiveKey(null);
            if (event.target.value.trim() === '') {
              setResults([]);
              setCorrected(null);
              setStatus('idle');
            }
          }}
          onFocus={() => setIsOpen(true)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
              if (options.length === 0) return;
              event.preventDefault();
              setIsOpen(true);
              const step = event.key === 'ArrowDown' ? 1 : -1;
              setActiveKey(optionKey(options[active < 0 ? (step === 1 ? 0 : options.length - 1) : (active + step + options.length) % options.length]));
              if (options[options.length - 1]?.kind === 'ask') void preloadAssistantPanel().catch(() => {});
            } else if (event.key === 'Enter') {
              if (!isExpanded) return;
              event.preventDefault();
              choose(options[active >= 0 ? active : 0]);
            } else if (event.key === 'Escape') {
              if (isExpanded) {
                event.preventDefault();
                setIsOpen(false);
                setActiveKey(null);
              }
            }
          }}
        />
      </div>
      <div role="status" className="visually-hidden">
        {isOpen && status === 'done' && trimmed !== '' ? `${results.length === 0 ? 'No' : results.length} matching section${results.length === 1 ? '' : 's'}` : ''}
      </div>
      {isExpanded ? (
        <div className="search-popover">
          {status === 'loading' && results.length === 0 ? <p>Searching…</p> : null}
          {status === 'error' ? <p className="search-error">Search is unavailable right now.</p> : null}
          {status === 'done' && results.length === 0 ? <p>No section matches “{trimmed}”.</p> : null}
          {corrected && results.length > 0 ? <p className="search-correction">Showing results for “{corrected}”</p> : null}
          <ul id={listId} role="listbox" aria-label="Search results" className="search-options">
            {options.map((option, index) => (
              <li
                key={option.kind === 'ask' ? 'ask' : option.result.url}
                id={optionId(index)}
                role="option"
                className="search-option"
                aria-selected={index === active}
                // Keeps focus in the input, where the combobox's keys work.
                onPointerDown={(event) => event.preventDefault()}
                onPointerEnter={() => {
                  setActiveKey(optionKey(option));
                  if (option.kind === 'ask') void preloadAssistantPanel().catch(() => {});
                }}
                onClick={() => choose(option)}
              >
                {option.kind === 'ask' ? (
                  <span className="search-option-title">Ask the assistant about “{trimmed}”</span>
                ) : (
                  <>
                    <span className="search-option-title">{option.result.heading ? `${option.result.title} › ${option.result.heading}` : option.result.title}</span>
                    <span className="search-option-excerpt">{excerpt(option.result.content)}</span>
                  </>
                )}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
