import { lazy, Suspense, useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, useSyncExternalStore, type ChangeEvent, type ClipboardEvent, type DragEvent, type KeyboardEvent, type Ref } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Text } from '@twilio-paste/core/text';
import { css, styled } from '@twilio-paste/core/styling-library';
import { SendIcon } from '@twilio-paste/icons/cjs/SendIcon';
import type { TStoredImage } from '@/lib/shared/images';
import type { TRunMode } from '@/lib/shared/runs';
import { useUiText } from './ui-text';
import { filesOf } from './screenshot-files';

// What only an attached screenshot needs loads when the first one is attached (/assistant's first load has a budget).
const ComposerScreenshots = lazy(() => import('./ComposerScreenshots').then((module) => ({ default: module.ComposerScreenshots })));
const AttachButton = lazy(() => import('./AttachScreenshotButton').then((module) => ({ default: module.AttachScreenshotButton })));

// The message box: a plain <textarea> that grows with its text, styled as Paste's ChatComposer. ChatComposer is a Lexical editor, about 80 KB gzip of what opening the panel downloads, for
// rich text a question does not need. Enter sends, Shift+Enter adds a line. The text is cleared as soon as it
// is sent and put back if sending fails, so a failed request never loses it. The "Research" toggle (issue 71) sends the
// next message as a research question (several searches, whole pages read); it is off again once that one is sent.
// Screenshots (issue 71): pasted into the box, dropped on the composer or picked with "Attach a screenshot", each
// resized in the browser (./screenshot.ts) and shown as a thumbnail under the box until it is sent with the next
// message (which may then have no text) or removed. Like the text, they are put back if sending fails.

/** Nothing to subscribe to: with useSyncExternalStore, true in the browser after hydration and false on the server. */
function subscribeToNothing(): () => void {
  return () => {};
}

/** The attach button's place while its code loads, so that the other buttons do not move. */
function AttachButtonSpace() {
  return <Box as="span" display="block" width="sizeIcon40" height="sizeIcon40" />;
}

export type TComposerHandle = { focus(): void };

/** How tall the text grows before it scrolls: ChatComposer's `size20` (12rem) less its padding. */
const MAX_TEXT_HEIGHT = '11rem';

// ChatComposer's editor text: Paste's body text, its italic placeholder, its weaker colour while disabled.
const MessageBox = styled('textarea')(
  css({
    appearance: 'none',
    display: 'block',
    width: '100%',
    margin: 'space0',
    padding: 'space0',
    border: 'none',
    outline: 'none',
    background: 'transparent',
    boxShadow: 'none',
    resize: 'none',
    maxHeight: MAX_TEXT_HEIGHT,
    overflowY: 'auto',
    color: 'colorText',
    fontFamily: 'inherit',
    fontSize: 'fontSize30',
    fontWeight: 'fontWeightNormal',
    lineHeight: 'lineHeight30',
    '&::placeholder': { color: 'colorTextWeak', fontStyle: 'italic', opacity: 1 },
    '&:disabled': { color: 'colorTextWeaker', cursor: 'not-allowed', WebkitTextFillColor: 'currentColor' },
    '&:disabled::placeholder': { color: 'colorTextWeaker' },
  }),
);

/** Enter alone sends; with a modifier, or while an input method is composing (keyCode 229 in Safari), it does not. */
function isSendKey(event: KeyboardEvent<HTMLTextAreaElement>): boolean {
  const { nativeEvent } = event;
  if (event.key !== 'Enter' || nativeEvent.isComposing || nativeEvent.keyCode === 229) return false;
  return !(event.shiftKey || event.altKey || event.ctrlKey || event.metaKey);
}

export function Composer({
  isDisabled,
  onSend,
  label,
  placeholder,
  composerRef,
  isAutoFocused = false,
  emptyMessage,
}: {
  /** What an empty box sends (a quote attached: "Explain this passage."); absent, an empty box sends nothing. */
  emptyMessage?: string;
  isDisabled: boolean;
  /** Takes focus when it mounts (the side panel opening). */
  isAutoFocused?: boolean;
  /** Resolves false when the message could not be sent; the text is then put back (and the Research toggle stays). */
  onSend(text: string, options: { mode: TRunMode; images?: TStoredImage[] }): Promise<boolean>;
  label?: string;
  placeholder?: string;
  composerRef?: Ref<TComposerHandle>;
}) {
  const t = useUiText();
  const boxRef = useRef<HTMLTextAreaElement | null>(null);
  const [text, setText] = useState('');
  const [isResearch, setIsResearch] = useState(false);
  // The text as typed, for callbacks that outlive the render they were made in (the put-back after a send).
  const textRef = useRef('');
  const [images, setImages] = useState<TStoredImage[]>([]);
  const imagesRef = useRef<TStoredImage[]>([]);
  const changeImages = useCallback((next: TStoredImage[]) => {
    imagesRef.current = next;
    setImages(next);
  }, []);
  // Why the last image attached was refused, in the reader's words; cleared by the next one accepted or sent.
  const [refusal, setRefusal] = useState<string | null>(null);
  // The attach button renders after hydration only: a lazy part in the server's HTML makes React stream it with
  // inline scripts ($RC), which the page's script policy (hashes of its own inline scripts) refuses.
  const hasMounted = useSyncExternalStore(subscribeToNothing, () => true, () => false);
  const changeText = useCallback((next: string) => {
    textRef.current = next;
    setText(next);
  }, []);

  // A focus request can arrive before the render that re-enables the box, and a disabled textarea cannot take
  // focus: wait (a few frames at most) for it to be enabled again. The caret goes to the end of the text.
  useImperativeHandle(
    composerRef,
    () => ({
      focus: () => {
        let frames = 0;
        const attempt = () => {
          const box = boxRef.current;
          if (!box) return;
          if (!box.disabled) {
            box.focus({ preventScroll: true });
            box.setSelectionRange(box.value.length, box.value.length);
          } else if (frames++ < 30) requestAnimationFrame(attempt);
        };
        attempt();
      },
    }),
    [],
  );

  // Grows with its text: the height its content needs (the placeholder's, when empty), up to MAX_TEXT_HEIGHT,
  // then it scrolls. Measured again when the text changes and when its width changes (the layout settling after
  // hydration, the window or panel resized), which re-wraps the text.
  useLayoutEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const fit = () => {
      box.style.height = 'auto';
      box.style.height = `${box.scrollHeight}px`;
    };
    fit();
    if (typeof ResizeObserver === 'undefined') return;
    let width = box.clientWidth;
    const observer = new ResizeObserver(() => {
      if (box.clientWidth === width) return;
      width = box.clientWidth;
      fit();
    });
    observer.observe(box);
    return () => observer.disconnect();
  }, [text]);

  useEffect(() => {
    if (isAutoFocused) boxRef.current?.focus({ preventScroll: true });
  }, [isAutoFocused]);

  const attach = useCallback(
    async (files: File[]) => {
      const { attachScreenshots } = await import('./screenshot');
      await attachScreenshots({ files, attached: () => imagesRef.current, t, onAccepted: (image) => changeImages([...imagesRef.current, image]), onRefused: setRefusal });
    },
    [t, changeImages],
  );

  // `isDisabled` arrives a render after a send starts: a second Enter in the same moment would send the same
  // text again. This is set at once.
  const isSending = useRef(false);
  const submit = useCallback(() => {
    const typed = textRef.current;
    const attached = imagesRef.current;
    const message = typed.trim() === '' && emptyMessage && attached.length === 0 ? emptyMessage : typed;
    if (isDisabled || isSending.current || (message.trim() === '' && attached.length === 0)) return;
    isSending.current = true;
    changeText('');
    changeImages([]);
    setRefusal(null);
    void onSend(message, { mode: isResearch ? 'research' : 'quick', ...(attached.length > 0 ? { images: attached } : {}) })
      .catch(() => false)
      .then((isSent) => {
        isSending.current = false;
        if (isSent) setIsResearch(false);
        // Put the text back unless the reader has started another message meanwhile.
        if (!isSent && textRef.current.trim() === '') changeText(typed);
        if (!isSent && imagesRef.current.length === 0) changeImages(attached);
      });
  }, [isDisabled, onSend, changeText, changeImages, emptyMessage, isResearch]);

  const isEmpty = text.trim() === '' && !emptyMessage && images.length === 0;

  return (
    <Box display="flex" flexDirection="column" rowGap="space30" width="100%">
    <Box
      element="CHAT_COMPOSER_CONTAINER"
      display="grid"
      gridAutoColumns="1fr auto"
      padding="space30"
      width="100%"
      borderRadius="borderRadius30"
      boxShadow="shadowElevation10"
      backgroundColor={isDisabled ? 'colorBackground' : 'colorBackgroundWeaker'}
      onDragOver={(event: DragEvent<HTMLElement>) => {
        if (!isDisabled && Array.from(event.dataTransfer.types).includes('Files')) event.preventDefault();
      }}
      onDrop={(event: DragEvent<HTMLElement>) => {
        const files = filesOf(event.dataTransfer);
        if (files.length === 0) return;
        event.preventDefault();
        if (!isDisabled) void attach(files);
      }}
    >
      <Box
        element="CHAT_COMPOSER"
        gridArea="1/1"
        paddingY="space30"
        paddingX="space40"
        borderRadius="borderRadius20"
        transition="box-shadow 100ms ease-in"
        _focusWithin={{ boxShadow: 'shadowFocus' }}
      >
        <MessageBox
          ref={boxRef}
          aria-label={label ?? t('composer.label')}
          placeholder={placeholder ?? t('composer.placeholder')}
          value={text}
          disabled={isDisabled}
          rows={1}
          onChange={(event: ChangeEvent<HTMLTextAreaElement>) => changeText(event.target.value)}
          onPaste={(event: ClipboardEvent<HTMLTextAreaElement>) => {
            const files = filesOf(event.clipboardData);
            if (files.length === 0) return;
            // An image copied with text beside it (a web page's selection) pastes its text too.
            if (!event.clipboardData.types.includes('text/plain')) event.preventDefault();
            void attach(files);
          }}
          onKeyDown={(event: KeyboardEvent<HTMLTextAreaElement>) => {
            if (!isSendKey(event)) return;
            event.preventDefault();
            submit();
          }}
        />
      </Box>
      <Box gridArea="1/2" display="inline-flex" alignSelf="end" alignItems="center" columnGap="space30" marginBottom="space30" marginLeft="space30" marginRight="space20">
        {hasMounted ? (
          <Suspense fallback={<AttachButtonSpace />}>
            <AttachButton isDisabled={isDisabled} onFiles={(files) => void attach(files)} />
          </Suspense>
        ) : (
          <AttachButtonSpace />
        )}
        <Button
          variant="secondary"
          size="small"
          pressed={isResearch}
          onClick={() => setIsResearch((on) => !on)}
          disabled={isDisabled}
          title={t('composer.researchHint')}
          data-testid="composer-research"
        >
          {t('composer.research')}
        </Button>
        <Button variant="primary_icon" size="reset" onClick={submit} disabled={isDisabled || isEmpty} aria-keyshortcuts="Enter">
          <SendIcon decorative={false} title={t('composer.send')} />
        </Button>
      </Box>
    </Box>
    {images.length > 0 ? (
      <Suspense fallback={null}>
        <ComposerScreenshots
          images={images}
          onRemove={(index) => {
            changeImages(imagesRef.current.filter((_, at) => at !== index));
            boxRef.current?.focus({ preventScroll: true });
          }}
        />
      </Suspense>
    ) : null}
    {/* Present before anything is refused, so that screen readers announce the refusal when it appears. */}
    <Box role="alert" data-testid="composer-screenshot-refusal">
      {refusal ? (
        <Text as="p" fontSize="fontSize20" color="colorTextError">
          {refusal}
        </Text>
      ) : null}
    </Box>
    </Box>
  );
}
