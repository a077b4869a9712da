import { setColorScheme, useColorScheme } from './color-scheme';
import { Icon } from './Icon';
import { LightModeIcon } from './paste-icons/LightModeIcon';
import { DarkModeIcon } from './paste-icons/DarkModeIcon';

/**
 * Switches between Paste's light and dark themes; a toggle button, pressed while dark. Which icon shows is up to
 * CSS (styles/site.css), so it is right from the first paint, before the page hydrates.
 */
export function ThemeToggle() {
  const scheme = useColorScheme();
  return (
    <button
      type="button"
      className="button button-icon theme-toggle"
      aria-pressed={scheme === null ? undefined : scheme === 'dark'}
      onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
    >
      <Icon icon={LightModeIcon} className="when-light" />
      <Icon icon={DarkModeIcon} className="when-dark" />
      <span className="visually-hidden">Dark theme</span>
    </button>
  );
}
