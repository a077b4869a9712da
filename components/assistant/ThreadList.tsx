import { useEffect, useId, useRef, useState, type ComponentProps, type FormEvent } from 'react';
import { AlertDialog } from './LazyAlertDialog';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Label } from '@twilio-paste/core/label';
import { ListboxPrimitive, ListboxPrimitiveItem, useListboxPrimitiveState } from '@twilio-paste/core/listbox-primitive';
import { ScreenReaderOnly } from '@twilio-paste/core/screen-reader-only';
import { SkeletonLoader } from '@twilio-paste/core/skeleton-loader';
import { css, styled } from '@twilio-paste/core/styling-library';
import { Text } from '@twilio-paste/core/text';
import { DeleteIcon } from '@twilio-paste/icons/cjs/DeleteIcon';
import { EditIcon } from '@twilio-paste/icons/cjs/EditIcon';
import { PlusIcon } from '@twilio-paste/icons/cjs/PlusIcon';
import { threadTitle, type TThread } from './api';
import { formatRelativeTime } from './time';
import { useUiText } from './ui-text';

// The reader's threads (a listbox: arrow keys move, Enter or Space selects) and the header of the selected
// thread, where it is renamed inline or deleted after a confirmation.

const ThreadOption = styled('button')(
  css({
    display: 'block',
    width: '100%',
    textAlign: 'left',
    border: 'none',
    borderRadius: 'borderRadius30',
    backgroundColor: 'transparent',
    color: 'colorText',
    cursor: 'pointer',
    fontFamily: 'fontFamilyText',
    paddingX: 'space40',
    paddingY: 'space30',
    outline: 'none',
    ':hover': { backgroundColor: 'colorBackgroundWeak' },
    ':focus-visible': { boxShadow: 'shadowFocus' },
    '&[aria-selected="true"]': { backgroundColor: 'colorBackgroundPrimaryWeakest', color: 'colorTextPrimaryStrong' },
  }),
);

export function ThreadList({
  threads,
  selectedId,
  isLoading,
  now,
  onSelect,
  onNew,
  onDeleteAll,
}: {
  threads: TThread[];
  selectedId: string | null;
  isLoading: boolean;
  now: number;
  onSelect(threadId: string): void;
  onNew(): void;
  /** Deletes every thread of this reader, after a confirmation; resolves false when the server refused. */
  onDeleteAll?(): Promise<boolean>;
}) {
  const listbox = useListboxPrimitiveState({ baseId: 'assistant-threads' });
  const headingId = useId();
  const [isConfirmingAll, setIsConfirmingAll] = useState(false);
  const t = useUiText();
  return (
    <Box display="flex" flexDirection="column" rowGap="space40">
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <Heading as="h2" variant="heading40" marginBottom="space0" id={headingId}>
          {t('threads.heading')}
        </Heading>
        <Button variant="secondary" size="small" onClick={onNew}>
          <PlusIcon decorative />
          {t('panel.newThread')}
        </Button>
      </Box>
      {isLoading ? (
        <Box display="flex" flexDirection="column" rowGap="space30" aria-busy="true">
          <ScreenReaderOnly>{t('threads.loading')}</ScreenReaderOnly>
          <SkeletonLoader height="40px" />
          <SkeletonLoader height="40px" />
        </Box>
      ) : threads.length === 0 ? (
        <Text as="p" color="colorTextWeak" fontSize="fontSize30">
          {t('threads.none')}
        </Text>
      ) : (
        <ListboxPrimitive {...listbox} aria-labelledby={headingId}>
          {threads.map((thread) => (
            <ListboxPrimitiveItem
              {...listbox}
              key={thread.id}
              as={ThreadOption}
              selected={thread.id === selectedId}
              onSelect={() => onSelect(thread.id)}
            >
              <Text as="span" display="block" fontWeight="fontWeightMedium" color="inherit" overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap">
                {threadTitle(thread)}
              </Text>
              <ScreenReaderOnly>, </ScreenReaderOnly>
              <Text as="span" display="block" fontSize="fontSize20" color="colorTextWeak">
                {formatRelativeTime(thread.created_at, now)}
              </Text>
            </ListboxPrimitiveItem>
          ))}
        </ListboxPrimitive>
      )}
      {onDeleteAll && !isLoading && threads.length > 0 ? (
        <Box marginTop="space40">
          <Button variant="destructive_link" size="small" onClick={() => setIsConfirmingAll(true)}>
            <DeleteIcon decorative />
            {t('threads.deleteAll')}
          </Button>
          <AlertDialog
            heading={t('threads.deleteAllHeading')}
            isOpen={isConfirmingAll}
            destructive
            onConfirm={() => {
              setIsConfirmingAll(false);
              void onDeleteAll();
            }}
            onConfirmLabel={t('threads.deleteAll')}
            onDismiss={() => setIsConfirmingAll(false)}
            onDismissLabel={t('threads.cancel')}
          >
            {t('threads.deleteAllText')}
          </AlertDialog>
        </Box>
      ) : null}
    </Box>
  );
}

// The title field in the look of Paste's Input (its InputBox's border, hover and focus ring; its input's text and
// padding), as a plain <input>: Paste's Input brings @twilio-paste/utils and its input box, ~8 KB gzip of
// /assistant's first load, for a field shown only while renaming.
const TitleInputBox = styled('div')(
  css({
    display: 'flex',
    width: '100%',
    backgroundColor: 'colorBackgroundWeakest',
    boxShadow: 'shadowBorder',
    borderRadius: 'borderRadius30',
    transition: 'box-shadow 100ms ease-in',
    cursor: 'text',
    '&:hover': { boxShadow: 'shadowBorderPrimary' },
    '&:active': { boxShadow: 'shadowBorderPrimaryStronger' },
    '&:focus-within': { boxShadow: 'shadowFocusShadowBorder' },
  }),
);
const TitleInputElement = styled('input')(
  css({
    appearance: 'none',
    display: 'block',
    width: '100%',
    margin: 'space0',
    paddingTop: 'space30',
    paddingBottom: 'space30',
    paddingLeft: 'space40',
    paddingRight: 'space40',
    border: 'none',
    borderRadius: 'borderRadius20',
    outline: 'none',
    boxShadow: 'none',
    backgroundColor: 'transparent',
    color: 'inherit',
    fontFamily: 'inherit',
    fontSize: 'fontSize30',
    fontWeight: 'fontWeightMedium',
    lineHeight: 'lineHeight20',
    '&::placeholder': { color: 'colorTextWeak', fontStyle: 'italic' },
  }),
);
function TitleInput({ ref, ...props }: ComponentProps<'input'>) {
  return (
    <TitleInputBox>
      <TitleInputElement ref={ref} {...props} />
    </TitleInputBox>
  );
}

export function ThreadHeader({
  thread,
  onRename,
  onDelete,
  isCompact = false,
}: {
  thread: TThread;
  /** Narrow screens: the actions show their icons only (their accessible names stay). */
  isCompact?: boolean;
  /** Resolves false when the server refused; the field stays open with the reader's text. */
  onRename(title: string): Promise<boolean>;
  onDelete(): Promise<boolean>;
}) {
  const [isEditing, setIsEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [isConfirming, setIsConfirming] = useState(false);
  const [isSaving, setIsSaving] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const renameRef = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  const inputId = useId();
  const title = threadTitle(thread);
  const t = useUiText();

  useEffect(() => {
    // Focus follows the mode: into the field when editing starts, back to Rename when it ends.
    if (isEditing) {
      inputRef.current?.focus();
      inputRef.current?.select();
    }
    else if (wasEditing.current) renameRef.current?.focus();
    wasEditing.current = isEditing;
  }, [isEditing]);

  const startEditing = () => {
    setDraft(title);
    setIsEditing(true);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const next = draft.trim();
    if (next === '' || next === title) {
      setIsEditing(false);
      return;
    }
    setIsSaving(true);
    const isSaved = await onRename(next.slice(0, 200));
    setIsSaving(false);
    if (isSaved) setIsEditing(false);
  };

  return (
    <Box display="flex" alignItems="center" columnGap="space30" minWidth="size0" flexGrow={1}>
      {isEditing ? (
        <Box as="form" onSubmit={(event) => void save(event)} display="flex" alignItems="flex-end" columnGap="space30" flexGrow={1} minWidth="size0">
          <Box flexGrow={1} minWidth="size0">
            <Label htmlFor={inputId}>{t('thread.title')}</Label>
            <TitleInput
              id={inputId}
              ref={inputRef}
              type="text"
              value={draft}
              maxLength={200}
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') {
                  event.preventDefault();
                  event.stopPropagation();
                  setIsEditing(false);
                }
              }}
            />
          </Box>
          <Button variant="primary" size="small" type="submit" loading={isSaving}>
            {t('thread.save')}
          </Button>
          <Button variant="secondary" size="small" onClick={() => setIsEditing(false)}>
            {t('threads.cancel')}
          </Button>
        </Box>
      ) : (
        <>
          <Box flexGrow={1} minWidth="size0">
            <Heading as="h2" variant="heading40" marginBottom="space0">
              <Box as="span" display="block" overflow="hidden" textOverflow="ellipsis" whiteSpace="nowrap" title={title}>
                {title}
              </Box>
            </Heading>
          </Box>
          <Button variant="secondary" size="small" onClick={startEditing} ref={renameRef} aria-label={t('thread.renameLabel', { title })}>
            <EditIcon decorative />
            {isCompact ? null : t('thread.rename')}
          </Button>
          <Button variant="destructive_secondary" size="small" onClick={() => setIsConfirming(true)} aria-label={t('thread.deleteLabel', { title })}>
            <DeleteIcon decorative />
            {isCompact ? null : t('thread.delete')}
          </Button>
        </>
      )}
      <AlertDialog
        heading={t('thread.deleteHeading')}
        isOpen={isConfirming}
        destructive
        onConfirm={() => {
          setIsConfirming(false);
          void onDelete();
        }}
        onConfirmLabel={t('thread.deleteConfirm')}
        onDismiss={() => setIsConfirming(false)}
        onDismissLabel={t('threads.cancel')}
      >
        {t('thread.deleteText', { title })}
      </AlertDialog>
    </Box>
  );
}
