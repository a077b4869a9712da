import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type ChangeEvent, type KeyboardEvent, type Ref } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { css, styled } from '@twilio-paste/core/styling-library';
import { SendIcon } from '@twilio-paste/icons/cjs/SendIcon';
import { useUiText } from './ui-text';

// The message box: a plain <textarea> that grows with its text, styled as Paste's ChatComposer. ChatComposer is a Lexical editor, about 80 KB gzip of what opening the panel downloads, for
// rich text a question does not need. Enter sends, Shift+Enter adds a line. The text is cleared as soon as it
// is sent and put back if sending fails, so a failed request never loses it.

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
}: {
  isDisabled: boolean;
  /** Takes focus when it mounts (the side panel opening). */
  isAutoFocused?: boolean;
  /** Resolves false when the message could not be sent; the text is then put back. */
  onSend(text: string): Promise<boolean>;
  label?: string;
  placeholder?: string;
  composerRef?: Ref<TComposerHandle>;
}) {
  const t = useUiText();
  const boxRef = useRef<HTMLTextAreaElement | null>(null);
  const [text, setText] = useState('');
  // The text as typed, for callbacks that outlive the render they were made in (the put-back after a send).
  const textRef = useRef('');
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

  // `isDisabled` arrives a render after a send starts: a second Enter in the same moment would send the same
  // text again. This is set at once.
  const isSending = useRef(false);
  const submit = useCallback(() => {
    const message = textRef.current;
    if (isDisabled || isSending.current || message.trim() === '') return;
    isSending.current = true;
    changeText('');
    void onSend(message)
      .catch(() => false)
      .then((isSent) => {
        isSending.current = false;
        // Put the text back unless the reader has started another message meanwhile.
        if (!isSent && textRef.current.trim() === '') changeText(message);
      });
  }, [isDisabled, onSend, changeText]);

  return (
    <Box
      element="CHAT_COMPOSER_CONTAINER"
      display="grid"
      gridAutoColumns="1fr auto"
      padding="space30"
      width="100%"
      borderRadius="borderRadius30"
      boxShadow="shadowElevation10"
      backgroundColor={isDisabled ? 'colorBackground' : 'colorBackgroundWeaker'}
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
          onKeyDown={(event: KeyboardEvent<HTMLTextAreaElement>) => {
            if (!isSendKey(event)) return;
            event.preventDefault();
            submit();
          }}
        />
      </Box>
      <Box gridArea="1/2" display="inline-flex" alignSelf="end" columnGap="space30" marginBottom="space30" marginLeft="space30" marginRight="space20">
        <Button variant="primary_icon" size="reset" onClick={submit} disabled={isDisabled || text.trim() === ''} aria-keyshortcuts="Enter">
          <SendIcon decorative={false} title={t('composer.send')} />
        </Button>
      </Box>
    </Box>
  );
}
