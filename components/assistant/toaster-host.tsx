import { useEffect, useRef, type RefObject } from 'react';
import { Toaster, useToaster, type ToasterPush, type UseToasterReturnedProps } from '@twilio-paste/core/toast';

// Paste's Toaster, with the toasts asked for before it loaded (components/assistant/toasts.tsx loads this file
// with the first toast: Paste's Toast brings Reakit and Popper, which a panel without a failure never needs).

export type TToastInput = ToasterPush;
export type TPush = UseToasterReturnedProps['push'];

export function ToasterHost({ pending, onShown, pushRef }: { pending: TToastInput[]; onShown(shown: TToastInput[]): void; pushRef: RefObject<TPush | null> }) {
  const toaster = useToaster();
  const { push } = toaster;
  useEffect(() => {
    pushRef.current = push;
  }, [push, pushRef]);
  // `push` is a new function at every render: each queued toast is shown once, however often this runs.
  const shown = useRef(new WeakSet<TToastInput>());
  useEffect(() => {
    if (pending.length === 0) return;
    for (const toast of pending) {
      if (shown.current.has(toast)) continue;
      shown.current.add(toast);
      push(toast);
    }
    onShown(pending);
  }, [pending, push, onShown]);
  return <Toaster {...toaster} />;
}
