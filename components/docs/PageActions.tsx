import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Menu, MenuButton, MenuItem, MenuSeparator, useMenuState } from '@twilio-paste/core/menu';
import { Text } from '@twilio-paste/core/text';
import { ChevronDownIcon } from '@twilio-paste/icons/cjs/ChevronDownIcon';
import { chatGptHref, claudeHref, markdownHref, pageQuestion } from '@/lib/shared/page-actions';

type TCopyState = 'idle' | 'copied' | 'failed';

/**
 * The page as markdown for readers who work with a language model: copy it, open it, or start a chat about it
 * in ChatGPT or Claude. The chat links need the page's absolute URL, known in the browser once it has loaded.
 */
export function PageActions({ href, title, isOpenOnMount = false }: { href: string; title: string; isOpenOnMount?: boolean }) {
  // Open on mount: the page's stand-in button (LazyPageActions) was pressed and this menu loaded in its place.
  const menu = useMenuState({ placement: 'bottom-end', visible: isOpenOnMount });
  const { first } = menu;
  const hasFocusedFirst = useRef(false);
  useEffect(() => {
    // The button that was pressed is gone: focus goes to the menu's first item, as when this button opens it.
    if (!isOpenOnMount || hasFocusedFirst.current) return;
    hasFocusedFirst.current = true;
    first();
  }, [isOpenOnMount, first]);
  // '' while rendering on the server (the chat links then carry the path), the page's origin in the browser.
  const origin = useSyncExternalStore(subscribeToNothing, () => window.location.origin, () => '');
  const [copyState, setCopyState] = useState<TCopyState>('idle');
  useEffect(() => {
    if (copyState === 'idle') return undefined;
    const timer = setTimeout(() => setCopyState('idle'), 4000);
    return () => clearTimeout(timer);
  }, [copyState]);

  const markdown = markdownHref(href);
  const question = pageQuestion({ pageUrl: `${origin}${href}`, title });

  async function copyMarkdown() {
    menu.hide();
    try {
      await copyText(fetch(markdown).then((response) => (response.ok ? response.text() : Promise.reject(new Error(`HTTP ${response.status}`)))));
      setCopyState('copied');
    } catch {
      setCopyState('failed');
    }
  }

  return (
    <Box display="flex" alignItems="center" justifyContent="flex-end" columnGap="space30" marginBottom="space30">
      <Text as="span" aria-live="polite" fontSize="fontSize20" color={copyState === 'failed' ? 'colorTextError' : 'colorTextWeak'}>
        {copyState === 'copied' ? 'Copied the page as Markdown' : copyState === 'failed' ? 'Could not copy; use “View as Markdown”' : ''}
      </Text>
      <MenuButton {...menu} variant="secondary" size="small">
        Page actions <ChevronDownIcon decorative />
      </MenuButton>
      <Menu {...menu} aria-label="Page actions">
        <MenuItem {...menu} onClick={() => void copyMarkdown()}>
          Copy page as Markdown
        </MenuItem>
        <MenuItem {...menu} href={markdown}>
          View as Markdown
        </MenuItem>
        <MenuSeparator {...menu} />
        {/* Paste opens links to other sites in a new tab, with rel="noreferrer noopener". */}
        <MenuItem {...menu} href={chatGptHref(question)}>
          Open in ChatGPT
        </MenuItem>
        <MenuItem {...menu} href={claudeHref(question)}>
          Open in Claude
        </MenuItem>
      </Menu>
    </Box>
  );
}

/** The page's origin never changes while it is open. */
function subscribeToNothing(): () => void {
  return () => undefined;
}

/**
 * Writes text that is still being fetched. A ClipboardItem takes the pending text, so the write starts inside
 * the click (Safari refuses a clipboard write after an await); browsers without it get writeText afterwards.
 */
async function copyText(pending: Promise<string>): Promise<void> {
  const clipboard = navigator.clipboard;
  if (!clipboard) throw new Error('no clipboard');
  if (typeof ClipboardItem !== 'undefined' && typeof clipboard.write === 'function') {
    await clipboard.write([new ClipboardItem({ 'text/plain': pending.then((text) => new Blob([text], { type: 'text/plain' })) })]);
    return;
  }
  await clipboard.writeText(await pending);
}
