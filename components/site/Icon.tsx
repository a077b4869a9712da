import { useId } from 'react';
import { PASTE_ICONS, type TPasteIconName } from './paste-icons';

/**
 * One of Paste's icons as plain SVG (1.25rem, currentColor, like Paste's sizeIcon30): decorative (hidden from
 * assistive technology) unless it has a title, which then names it.
 */
export function Icon({ name, title, className }: { name: TPasteIconName; title?: string; className?: string }) {
  const titleId = useId();
  const icon = PASTE_ICONS[name];
  return (
    <span className={className ? `icon ${className}` : 'icon'}>
      <svg
        role="img"
        aria-hidden={title ? undefined : true}
        aria-labelledby={title ? titleId : undefined}
        xmlns="http://www.w3.org/2000/svg"
        width="100%"
        height="100%"
        viewBox={icon.viewBox}
      >
        {title ? <title id={titleId}>{title}</title> : null}
        {icon.paths.map((path) => (
          <path key={path.d} fill="currentColor" d={path.d} fillRule={'fillRule' in path ? path.fillRule : undefined} clipRule={'clipRule' in path ? path.clipRule : undefined} />
        ))}
      </svg>
    </span>
  );
}
