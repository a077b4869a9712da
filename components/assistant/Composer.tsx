import { useCallback, useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { ChatComposer, ChatComposerActionGroup, ChatComposerContainer } from '@twilio-paste/core/chat-composer';
import {
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  AutoFocusPlugin,
  COMMAND_PRIORITY_HIGH,
  KEY_DOWN_COMMAND,
  useLexicalComposerContext,
  type EditorState,
  type LexicalEditor,
} from '@twilio-paste/core/lexical-library';
import { SendIcon } from '@twilio-paste/icons/cjs/SendIcon';
import { useUiText } from './ui-text';

// The message box: Paste's ChatComposer (a Lexical editor). Enter sends, Shift+Enter adds a line. The text is
// cleared as soon as it is sent and put back if sending fails, so a failed request never loses it.

export type TComposerHandle = { focus(): void };

function readText(editor: LexicalEditor): string {
  return editor.getEditorState().read(() => $getRoot().getTextContent());
}

function replaceText(editor: LexicalEditor, text: string): void {
  editor.update(() => {
    const root = $getRoot();
    root.clear();
    const paragraph = $createParagraphNode();
    if (text !== '') paragraph.append($createTextNode(text));
    root.append(paragraph);
    paragraph.selectEnd();
  });
}

// Enter (by `key`, not the deprecated keyCode Lexical's own Enter command relies on) sends; with Shift, or
// while an input method is composing, it falls through to Lexical (a line break).
function EnterToSendPlugin({ onEnter }: { onEnter(): void }) {
  const [editor] = useLexicalComposerContext();
  useEffect(
    () =>
      editor.registerCommand<KeyboardEvent>(
        KEY_DOWN_COMMAND,
        (event) => {
          if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return false;
          event.preventDefault();
          onEnter();
          return true;
        },
        COMMAND_PRIORITY_HIGH,
      ),
    [editor, onEnter],
  );
  return null;
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
  const editorRef = useRef<LexicalEditor | null>(null);
  const [hasText, setHasText] = useState(false);

  // Re-enabling reaches the DOM a render after Lexical learns of it, and a non-editable root cannot take
  // focus: wait (a few frames at most) for the root to be editable again.
  useImperativeHandle(
    composerRef,
    () => ({
      focus: () => {
        let frames = 0;
        const attempt = () => {
          const editor = editorRef.current;
          const root = editor?.getRootElement();
          if (!editor || !root) return;
          if (root.getAttribute('contenteditable') === 'true') {
            // Lexical places the caret; the element itself is focused too when the selection alone did not.
            editor.focus(() => {
              if (!root.contains(document.activeElement)) root.focus({ preventScroll: true });
            });
          }
          else if (frames++ < 30) requestAnimationFrame(attempt);
        };
        attempt();
      },
    }),
    [],
  );

  // `isDisabled` arrives a render after a send starts, and clearing the editor is applied asynchronously: a
  // second Enter in the same moment would read the same text again. This is set at once.
  const isSending = useRef(false);
  const submit = useCallback(() => {
    const editor = editorRef.current;
    if (!editor || isDisabled || isSending.current) return;
    const text = readText(editor);
    if (text.trim() === '') return;
    isSending.current = true;
    replaceText(editor, '');
    void onSend(text)
      .catch(() => false)
      .then((isSent) => {
        isSending.current = false;
        // Put the text back unless the reader has started another message meanwhile.
        if (!isSent && readText(editor).trim() === '') replaceText(editor, text);
      });
  }, [isDisabled, onSend]);

  const onChange = useCallback((state: EditorState) => {
    setHasText(state.read(() => $getRoot().getTextContent().trim() !== ''));
  }, []);

  return (
    <ChatComposerContainer variant="contained">
      <ChatComposer
        config={{
          namespace: 'paste-assistant-composer',
          onError: (error: Error) => {
            throw error;
          },
        }}
        ariaLabel={label ?? t('composer.label')}
        placeholder={placeholder ?? t('composer.placeholder')}
        disabled={isDisabled}
        onChange={onChange}
        editorInstanceRef={editorRef}
        maxHeight="size20"
      >
        <EnterToSendPlugin onEnter={submit} />
        {isAutoFocused ? <AutoFocusPlugin /> : null}
      </ChatComposer>
      <ChatComposerActionGroup>
        <Box>
          <Button variant="primary_icon" size="reset" onClick={submit} disabled={isDisabled || !hasText} aria-keyshortcuts="Enter">
            <SendIcon decorative={false} title={t('composer.send')} />
          </Button>
        </Box>
      </ChatComposerActionGroup>
    </ChatComposerContainer>
  );
}
