import { Button } from '@twilio-paste/core/button';
import { DarkModeIcon } from '@twilio-paste/icons/cjs/DarkModeIcon';
import { LightModeIcon } from '@twilio-paste/icons/cjs/LightModeIcon';
import { useSiteTheme } from './SiteTheme';

/** Switches between Paste's light and dark themes; a toggle button, pressed while dark. */
export function ThemeToggle() {
  const { scheme, setScheme } = useSiteTheme();
  const isDark = scheme === 'dark';
  return (
    <Button variant="secondary_icon" size="reset" pressed={isDark} onClick={() => setScheme(isDark ? 'light' : 'dark')}>
      {isDark ? <DarkModeIcon decorative={false} title="Dark theme" /> : <LightModeIcon decorative={false} title="Dark theme" />}
    </Button>
  );
}
