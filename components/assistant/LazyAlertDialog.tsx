import { lazy, Suspense, useState, type ComponentProps } from 'react';
import type { AlertDialog as TPasteAlertDialog } from '@twilio-paste/core/alert-dialog';

// Paste's AlertDialog (the modal, its focus lock and scroll lock: about 15 KB gzip) loads the first time a
// confirmation opens, not with the page: most readers never delete a thread. Once loaded it stays mounted, so it
// opens and closes with Paste's own transitions from then on.

const LoadedAlertDialog = lazy(() => import('@twilio-paste/core/alert-dialog').then(({ AlertDialog }) => ({ default: AlertDialog })));

export function AlertDialog(props: ComponentProps<typeof TPasteAlertDialog>) {
  const [hasOpened, setHasOpened] = useState(props.isOpen);
  if (props.isOpen && !hasOpened) setHasOpened(true);
  if (!hasOpened) return null;
  return (
    <Suspense fallback={null}>
      <LoadedAlertDialog {...props} />
    </Suspense>
  );
}
