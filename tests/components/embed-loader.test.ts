// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pasteAssistantLoader, type TLoaderSettings, type TPasteAssistantApi } from '@/lib/embed/loader';
import { widgetLabels } from '@/lib/embed/widget';
import { en } from '@/lib/shared/i18n/en';
import { fr } from '@/lib/shared/i18n/fr';

// widget.js on a host page (jsdom): what it adds, what it refuses, and that bad options are one console line,
// never an exception. The browser tests (tests/e2e/embed.test.ts) run the served script in Chromium.

const ASSISTANT = 'https://assistant.example.org';
const ALLOWED: TLoaderSettings = { isEnabled: true, origins: [window.location.origin], version: 1 };

type TWindow = Window & { PasteAssistant?: unknown };

function install(settings: TLoaderSettings, data: Record<string, string> = {}) {
  const script = document.createElement('script');
  script.src = `${ASSISTANT}/widget.js`;
  for (const [name, value] of Object.entries(data)) script.setAttribute(`data-${name}`, value);
  document.body.appendChild(script);
  Object.defineProperty(document, 'currentScript', { value: script, configurable: true });
  const ready: unknown[] = [];
  window.addEventListener('paste-assistant:ready', (event) => ready.push((event as CustomEvent).detail), { once: true });
  try {
    pasteAssistantLoader(settings);
  } finally {
    Object.defineProperty(document, 'currentScript', { value: null, configurable: true });
  }
  return { ready };
}

const launchers = () => document.querySelectorAll('paste-assistant-embed');
let warn: ReturnType<typeof vi.spyOn>;
let info: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  info = vi.spyOn(console, 'info').mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
  delete (window as TWindow).PasteAssistant;
});

describe('widget.js on a host page', () => {
  it('adds one launcher host, the API and the ready event, and says nothing', () => {
    const { ready } = install(ALLOWED);
    expect(launchers()).toHaveLength(1);
    const api = (window as TWindow).PasteAssistant as TPasteAssistantApi;
    expect(typeof api.open).toBe('function');
    expect(ready).toEqual([api]);
    expect(api.isOpen).toBe(false);
    // The shadow root is closed: page scripts cannot reach the launcher.
    expect(launchers()[0]!.shadowRoot).toBeNull();
    expect(warn).not.toHaveBeenCalled();
    expect(info).not.toHaveBeenCalled();
  });

  it('with embedding off adds nothing and says so in one line', () => {
    install({ isEnabled: false, origins: [], version: 1 });
    expect(launchers()).toHaveLength(0);
    expect((window as TWindow).PasteAssistant).toBeUndefined();
    expect(info).toHaveBeenCalledTimes(1);
    expect(String(info.mock.calls[0]![0])).toMatch(/embedding is off on https:\/\/assistant\.example\.org/);
  });

  it('on a site that is not allowed adds nothing, in one line', () => {
    install({ isEnabled: true, origins: ['https://docs.example.com'], version: 1 });
    expect(launchers()).toHaveLength(0);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/is not allowed to embed/);
  });

  it('ignores unknown and oversize or invalid options in one console line, never throwing', () => {
    expect(() =>
      install(ALLOWED, { color: 'red', 'button-text': 'x'.repeat(500), position: 'top-middle', shortcut: 'ctrl+alt+shift+meta+k', theme: 'dark' }),
    ).not.toThrow();
    expect(launchers()).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0]![0]);
    for (const name of ['data-color', 'data-button-text', 'data-position', 'data-shortcut']) expect(line).toContain(name);
    expect(line).not.toContain('data-theme');
    expect(line.length).toBeLessThan(600);
  });

  it('takes data-version, a version name, and ignores one that is not, in one line', () => {
    install(ALLOWED, { version: '1.x' });
    expect(warn).not.toHaveBeenCalled();
    document.body.innerHTML = '';
    delete (window as TWindow).PasteAssistant;
    install(ALLOWED, { version: '1.x"><script>' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain('data-version=');
  });

  it('never overwrites a PasteAssistant the page defined; the ready event still carries the API', () => {
    const own = { mine: true };
    (window as TWindow).PasteAssistant = own;
    const { ready } = install(ALLOWED);
    expect((window as TWindow).PasteAssistant).toBe(own);
    expect(typeof (ready[0] as TPasteAssistantApi).open).toBe('function');
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('loaded twice, adds one launcher', () => {
    install(ALLOWED);
    install(ALLOWED);
    expect(launchers()).toHaveLength(1);
  });

  it('opens and closes through the API; an oversize question is ignored, in one line', () => {
    install(ALLOWED);
    const api = (window as TWindow).PasteAssistant as TPasteAssistantApi;
    api.open({ question: 'x'.repeat(3000) });
    expect(api.isOpen).toBe(true);
    expect(warn).toHaveBeenCalledTimes(1);
    api.close();
    expect(api.isOpen).toBe(false);
    api.toggle();
    expect(api.isOpen).toBe(true);
  });
});

describe('widget.js in the reader’s language', () => {
  /** The launcher's closed shadow root, caught as the loader attaches it. */
  function installCatchingRoot(data: Record<string, string> = {}) {
    const roots: ShadowRoot[] = [];
    const attach = Element.prototype.attachShadow;
    vi.spyOn(Element.prototype, 'attachShadow').mockImplementation(function (this: Element, init: ShadowRootInit) {
      const root = attach.call(this, init);
      roots.push(root);
      return root;
    });
    install({ ...ALLOWED, labels: widgetLabels() }, data);
    const launcher = roots[0]?.querySelector('button.launcher');
    if (!launcher) throw new Error('no launcher');
    return launcher;
  }

  it('labels the launcher and the frame in French for a French browser', () => {
    vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(['fr-FR', 'en']);
    const launcher = installCatchingRoot();
    expect(launcher.textContent).toBe(fr['widget.button']);
    expect(launcher.getAttribute('aria-label')).toBeNull();
    ((window as TWindow).PasteAssistant as TPasteAssistantApi).open();
    expect((launcher.getRootNode() as ShadowRoot).querySelector('iframe')?.title).toBe(fr['embed.label']);
  });

  it('explains a host’s own button text in French, and falls back to English for a language without a table', () => {
    vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(['fr']);
    expect(installCatchingRoot({ 'button-text': 'Aide' }).getAttribute('aria-label')).toBe(fr['widget.aboutLabel'].replace('{text}', 'Aide'));
    document.body.innerHTML = '';
    delete (window as TWindow).PasteAssistant;
    vi.restoreAllMocks();
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(window.navigator, 'languages', 'get').mockReturnValue(['ja-JP']);
    expect(installCatchingRoot().textContent).toBe(en['widget.button']);
  });
});
