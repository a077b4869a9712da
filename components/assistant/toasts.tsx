import { createContext, lazy, Suspense, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { SWRConfig } from 'swr';
import type { ToasterPush, ToasterToast } from '@twilio-paste/core/toast';
import { isApiError } from './api';
import { useUiText } from './ui-text';

// Every failed request ends in a Paste Toast with the server's message (the server's words, in English): SWR reads
// report through onError, and actions (send, rename, delete, vote…) call notifyError themselves. A failure with no
// message of its own shows the generic one in the reader's language.

type TToasts = {
  notifyError(error: unknown): void;
  notify(message: string, variant?: 'success' | 'neutral'): void;
};

const ToastsContext = createContext<TToasts | null>(null);

const REPEAT_WINDOW_MS = 5000;

// Paste's Toaster (its portal and animations, ~11 KB gzip) loads with the first toast: most visits never see one, and
// /assistant's first load stays within its budget. The list it shows is kept here, as Paste's useToaster keeps it.
const Toaster = lazy(() => import('@twilio-paste/core/toast').then((module) => ({ default: module.Toaster })));

/** Paste's useToaster, without loading Paste's toast module: the newest toast first and focused, each gone after its dismissAfter. */
function useToastList(): { toasts: ToasterToast[]; hasShown: boolean; push(toast: ToasterPush): void; pop(id: string): void } {
  const [toasts, setToasts] = useState<ToasterToast[]>([]);
  // Once shown, the Toaster stays, so that the last toast leaves with Paste's own animation.
  const [hasShown, setHasShown] = useState(false);
  const timers = useRef(new Map<string, number>());
  const nextId = useRef(0);
  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => window.clearTimeout(timer));
  }, []);
  const pop = useCallback((id: string) => {
    window.clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);
  const push = useCallback(
    (toast: ToasterPush) => {
      nextId.current += 1;
      const id = `toast-${nextId.current}`;
      if (toast.dismissAfter !== undefined) timers.current.set(id, window.setTimeout(pop, toast.dismissAfter, id));
      setHasShown(true);
      setToasts((current) => [{ ...toast, id, setFocus: true }, ...current.map((shown) => ({ ...shown, setFocus: false }))]);
    },
    [pop],
  );
  return { toasts, hasShown, push, pop };
}

export function errorMessage(error: unknown, fallback = 'Something went wrong. Please try again.'): string {
  if (error instanceof Error && error.message) return error.message;
  return fallback;
}

export function AssistantToasts({ children }: { children: ReactNode }) {
  const toaster = useToastList();
  const { push } = toaster;
  // The same failure repeated by retries or polling shows once, not once per attempt.
  const recent = useRef(new Map<string, number>());
  const t = useUiText();

  const notifyError = useCallback(
    (error: unknown) => {
      const message = errorMessage(error, t('error.generic'));
      const now = Date.now();
      const last = recent.current.get(message);
      if (last !== undefined && now - last < REPEAT_WINDOW_MS) return;
      recent.current.set(message, now);
      push({ message, variant: 'error' });
    },
    [push, t],
  );
  const notify = useCallback(
    (message: string, variant: 'success' | 'neutral' = 'success') => push({ message, variant, dismissAfter: 4000 }),
    [push],
  );
  const value = useMemo(() => ({ notifyError, notify }), [notifyError, notify]);

  return (
    <ToastsContext.Provider value={value}>
      <SWRConfig
        value={{
          onError: notifyError,
          // Client errors (a deleted thread, bad input) do not get better by asking again.
          onErrorRetry: (error, _key, _config, revalidate, { retryCount }) => {
            if (isApiError(error) && error.status >= 400 && error.status < 500) return;
            if (retryCount >= 3) return;
            setTimeout(() => void revalidate({ retryCount }), 1000 * 2 ** retryCount);
          },
        }}
      >
        {children}
      </SWRConfig>
      {toaster.hasShown ? (
        <Suspense fallback={null}>
          <Toaster toasts={toaster.toasts} pop={toaster.pop} />
        </Suspense>
      ) : null}
    </ToastsContext.Provider>
  );
}

export function useToasts(): TToasts {
  const value = useContext(ToastsContext);
  if (!value) throw new Error('useToasts must be used inside AssistantToasts');
  return value;
}
