import type { ReactNode } from 'react';
import { Icon, type TPasteIcon } from './Icon';
import { ErrorIcon } from './paste-icons/ErrorIcon';
import { NeutralIcon } from './paste-icons/NeutralIcon';
import { NewIcon } from './paste-icons/NewIcon';
import { SuccessIcon } from './paste-icons/SuccessIcon';
import { WarningIcon } from './paste-icons/WarningIcon';

export type TCalloutVariant = 'neutral' | 'success' | 'warning' | 'error' | 'new';

const VARIANTS: Record<TCalloutVariant, { icon: TPasteIcon; label: string }> = {
  neutral: { icon: NeutralIcon, label: '(information)' },
  success: { icon: SuccessIcon, label: '(success)' },
  warning: { icon: WarningIcon, label: '(warning)' },
  error: { icon: ErrorIcon, label: '(error)' },
  new: { icon: NewIcon, label: '(new)' },
};

/** Paste's Callout in plain HTML: its variant's icon and colours, and a label for screen readers. */
export function Callout({ variant, children }: { variant: TCalloutVariant; children: ReactNode }) {
  const { icon, label } = VARIANTS[variant] ?? VARIANTS.neutral;
  return (
    <div className={`callout callout-${variant}`}>
      <Icon icon={icon} />
      <span className="visually-hidden">{label}</span>
      <div className="callout-body">{children}</div>
    </div>
  );
}
