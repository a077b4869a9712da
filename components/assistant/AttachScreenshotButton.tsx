import { useRef, type ChangeEvent } from 'react';
import { Button } from '@twilio-paste/core/button';
import { AttachIcon } from '@twilio-paste/icons/cjs/AttachIcon';
import { useUiText } from './ui-text';

// "Attach a screenshot" beside the composer's Send button: a button (so the keyboard reaches it) that opens the file
// picker, PNG, JPEG and WebP only. What is picked goes to `onFiles`, which checks and resizes it (./screenshot.ts).

export function AttachScreenshotButton({ isDisabled, onFiles }: { isDisabled: boolean; onFiles(files: File[]): void }) {
  const t = useUiText();
  const inputRef = useRef<HTMLInputElement | null>(null);
  return (
    <>
      <input
        ref={inputRef}
        type="file"
        accept="image/png,image/jpeg,image/webp"
        multiple
        hidden
        aria-label={t('composer.attachScreenshot')}
        data-testid="composer-file"
        onChange={(event: ChangeEvent<HTMLInputElement>) => {
          const files = Array.from(event.target.files ?? []);
          // Emptied, so that picking the same file again (after removing it) is a change.
          event.target.value = '';
          onFiles(files);
        }}
      />
      <Button variant="secondary_icon" size="reset" onClick={() => inputRef.current?.click()} disabled={isDisabled} data-testid="composer-attach">
        <AttachIcon decorative={false} title={t('composer.attachScreenshot')} />
      </Button>
    </>
  );
}
