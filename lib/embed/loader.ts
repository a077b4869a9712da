// widget.js: what a host page downloads to embed the assistant. A tiny loader with no dependencies and no
// React: it puts a launcher button in a closed shadow root, and on the first opening (earlier when the reader
// points at or focuses the launcher) an iframe of /embed, the assistant's panel, in that same shadow root.
//
// Why an iframe for the panel, not shadow DOM alone: the host's CSS and JavaScript cannot reach into a
// cross-origin frame, Paste's global styles cannot leak out of it, and its storage (where the reader's session
// token lives) is partitioned by the top-level site, which is what lets the embed work without third-party
// cookies. The launcher lives in a shadow root whose host element resets every property with `!important`
// (which, from inside a shadow root, wins over the page's own `!important` rules), so hostile page CSS
// (`* { all: unset }`, `button { display: none !important }`, huge root fonts) cannot hide or distort it.
//
// The function below is serialised into widget.js by lib/embed/widget.ts (`String(pasteAssistantLoader)`), so it
// must be self-contained: it references nothing outside its own body, and it never throws on the host page.
// It never overwrites a global the host defined: `window.PasteAssistant` is set only when it is free; the ready
// event (`paste-assistant:ready`) carries the API either way.

export type TLoaderSettings = {
  /** Embedding is on (EMBED_ALLOWED_ORIGINS is set). */
  isEnabled: boolean;
  /** The origins that may embed, or `any`. */
  origins: 'any' | string[];
  /** The loader's version, part of what the frame is told. */
  version: number;
  /**
   * The launcher's and the frame's words by UI language (lib/shared/i18n/, by lib/embed/widget.ts): the loader picks
   * the first of navigator.languages that has them, by primary subtag, else `en`; without them, English.
   */
  labels?: Record<string, TLoaderLabels>;
};

/**
 * `aboutLabel`: the launcher's accessible name when the host's own button text does not say what it does; `{text}` is that text.
 * `askSelection`: the button beside a selection on the host page; `askSelectionHint`: what a screen reader is told when it shows.
 */
export type TLoaderLabels = { button: string; aboutLabel: string; frame: string; askSelection?: string; askSelectionHint?: string };

export type TPasteAssistantApi = {
  open(options?: { question?: string }): void;
  close(): void;
  toggle(): void;
  /**
   * Who the reader is, as the host site signed it (a reader token: a JWT, docs/guides/private-docs): the panel's
   * session reads the pages of its audiences. A fresh token replaces the last; null signs the reader out. The
   * outcome comes as a `paste-assistant:reader` event (detail.status: signed-in, signed-out or refused).
   */
  setReaderToken(token: string | null): void;
  readonly isOpen: boolean;
};

export function pasteAssistantLoader(settings: TLoaderSettings): void {
  const PREFIX = 'Paste Assistant:';
  const MAX_QUESTION_CHARS = 2000;
  const MAX_ATTRIBUTE_CHARS = 200;
  // A reader token (a JWT) is longer than any option; the frame and POST /api/reader/session take this much.
  const MAX_READER_TOKEN_CHARS = 8192;
  try {
    const script = document.currentScript as HTMLScriptElement | null;
    const existing = (window as unknown as { PasteAssistant?: { __isPasteAssistant?: boolean } }).PasteAssistant;
    if (existing && existing.__isPasteAssistant) return; // The tag twice on one page: the first one serves.
    const assistantOrigin = new URL(script && script.src ? script.src : '/', location.href).origin;
    if (!settings.isEnabled) {
      console.info(`${PREFIX} embedding is off on ${assistantOrigin} (its operator has not set EMBED_ALLOWED_ORIGINS); no launcher added.`);
      return;
    }
    if (settings.origins !== 'any' && settings.origins.indexOf(location.origin) === -1) {
      console.warn(`${PREFIX} ${location.origin} is not allowed to embed the assistant of ${assistantOrigin} (EMBED_ALLOWED_ORIGINS); no launcher added.`);
      return;
    }

    // Options: data-* on the script tag. Unknown names and bad values are ignored, reported in one line.
    const problems: string[] = [];
    const data = script ? script.dataset : ({} as DOMStringMap);
    const known = ['buttonText', 'position', 'theme', 'shortcut', 'launcher', 'searchUrl', 'version', 'readerToken', 'askSelection'];
    for (const name of Object.keys(data)) {
      if (known.indexOf(name) === -1) problems.push(`unknown option data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    }
    const pick = (name: string, attribute: string, isValid: (value: string) => boolean): string | undefined => {
      const value = data[name];
      if (value === undefined) return undefined;
      const trimmed = value.trim();
      if (trimmed.length > MAX_ATTRIBUTE_CHARS || !isValid(trimmed)) {
        problems.push(`${attribute}="${trimmed.slice(0, 40)}${trimmed.length > 40 ? '…' : ''}" is not valid`);
        return undefined;
      }
      return trimmed;
    };
    const allLabels = settings.labels || {};
    const preferred = navigator.languages && navigator.languages.length > 0 ? navigator.languages : [navigator.language || 'en'];
    let labels: TLoaderLabels = allLabels.en || { button: 'Ask AI', aboutLabel: '{text} (Ask the docs assistant)', frame: 'Docs assistant' };
    for (const tag of preferred) {
      const primary = String(tag).trim().toLowerCase().split(/[-_]/)[0] || '';
      if (primary !== '' && Object.prototype.hasOwnProperty.call(allLabels, primary)) {
        labels = allLabels[primary] as TLoaderLabels;
        break;
      }
    }
    const customText = pick('buttonText', 'data-button-text', (v) => v.length > 0 && v.length <= 40);
    const buttonText = customText || labels.button;
    const position = pick('position', 'data-position', (v) => v === 'bottom-right' || v === 'bottom-left') || 'bottom-right';
    const theme = pick('theme', 'data-theme', (v) => v === 'auto' || v === 'light' || v === 'dark') || 'auto';
    const shortcutText = pick('shortcut', 'data-shortcut', (v) => v === 'off' || /^((mod|ctrl|alt|shift|meta)\+){0,3}[a-z0-9/.]$/i.test(v)) || 'mod+i';
    const isLauncherShown = (pick('launcher', 'data-launcher', (v) => v === 'on' || v === 'off') || 'on') === 'on';
    // data-ask-selection: "Ask about this" beside text the reader selects on the page (on by default).
    const isSelectionAsked = (pick('askSelection', 'data-ask-selection', (v) => v === 'on' || v === 'off') || 'on') === 'on';
    // data-search-url: the host's own search, where the panel's "search the docs" links go ({query} is replaced by
    // the words, else they are added as `q`). Resolved against the page; http(s) only. Unset: no such link.
    const searchUrlText = pick('searchUrl', 'data-search-url', (v) => {
      try {
        return /^https?:$/.test(new URL(v, location.href).protocol);
      } catch {
        return false;
      }
    });
    const searchUrl = searchUrlText === undefined ? null : new URL(searchUrlText, location.href).toString().replace(/%7Bquery%7D/gi, '{query}');
    // data-version: the version of versioned docs this page is about; a conversation started here searches it.
    // Unset: the frame is told the page's address (origin and path, never the query), which may carry the version.
    const docsVersion = pick('version', 'data-version', (v) => /^[\w.-]{1,100}$/.test(v));
    const pageUrl = location.origin + location.pathname;
    // data-reader-token: who the reader is, signed by the host (a JWT). Present, it is this page's word on the reader:
    // a token signs them in, an empty value signs them out. Absent, the panel's session keeps whoever it had.
    // Its value is a credential: never repeated in the console, and sent only to the frame, by postMessage.
    // undefined: the host has said nothing (yet).
    let readerToken: string | null | undefined = undefined;
    const readerTokenText = data.readerToken;
    if (readerTokenText !== undefined) {
      const trimmed = readerTokenText.trim();
      if (trimmed.length > MAX_READER_TOKEN_CHARS) problems.push(`data-reader-token is longer than ${MAX_READER_TOKEN_CHARS} characters`);
      else readerToken = trimmed === '' ? null : trimmed;
    }
    if (problems.length > 0) console.warn(`${PREFIX} ignored ${problems.join('; ')}.`);

    const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
    const shortcut =
      shortcutText === 'off'
        ? null
        : (() => {
            const parts = shortcutText.toLowerCase().split('+');
            const has = (name: string) => parts.indexOf(name) !== -1;
            return {
              key: parts[parts.length - 1] as string,
              ctrl: has('ctrl') || (has('mod') && !isMac),
              meta: has('meta') || (has('mod') && isMac),
              alt: has('alt'),
              shift: has('shift'),
            };
          })();

    // The shadow root: closed, so page scripts cannot reach in either.
    const host = document.createElement('paste-assistant-embed');
    const root = host.attachShadow({ mode: 'closed' });
    const side = position === 'bottom-left' ? 'left' : 'right';
    const style = document.createElement('style');
    style.textContent = `
:host{all:initial!important;display:block!important;position:static!important;visibility:visible!important;opacity:1!important;width:0!important;height:0!important;font-size:16px!important}
*{box-sizing:border-box}
.launcher{all:initial;position:fixed;bottom:20px;${side}:20px;z-index:2147483000;display:inline-flex;align-items:center;gap:8px;min-height:44px;padding:0 18px;border:0;border-radius:22px;background:#0263e0;color:#fff;font:600 15px/1 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;box-shadow:0 4px 16px rgba(18,28,45,.3);cursor:pointer}
.launcher:hover{background:#06033a}
.launcher:focus-visible{outline:3px solid #99cdff;outline-offset:2px}
.launcher[hidden]{display:none}
.dark .launcher{background:#99cdff;color:#121c2d}
.dark .launcher:hover{background:#cce4ff}
.launcher svg{width:18px;height:18px;fill:currentColor}
.ask{all:initial;position:fixed;z-index:2147483000;display:inline-flex;align-items:center;gap:6px;min-height:32px;padding:0 12px;border:0;border-radius:16px;background:#0263e0;color:#fff;font:600 14px/1 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;box-shadow:0 2px 8px rgba(18,28,45,.3);cursor:pointer}
.ask:hover{background:#06033a}
.ask:focus-visible{outline:3px solid #99cdff;outline-offset:2px}
.ask[hidden]{display:none}
.dark .ask{background:#99cdff;color:#121c2d}
.ask svg{width:14px;height:14px;fill:currentColor}
.status{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.panel{all:initial;position:fixed;top:0;bottom:0;${side}:0;z-index:2147483001;width:400px;max-width:100vw;height:100%;border:0;background:#fff;box-shadow:0 0 24px rgba(18,28,45,.3);display:block;color-scheme:normal}
.dark .panel{background:#121c2d}
.panel[hidden]{display:block;visibility:hidden;pointer-events:none;${side}:-440px}
@media (max-width:639px){.panel{width:100vw;box-shadow:none}}
`;
    const wrapper = document.createElement('div');
    const launcher = document.createElement('button');
    launcher.type = 'button';
    launcher.className = 'launcher';
    launcher.setAttribute('aria-haspopup', 'dialog');
    launcher.setAttribute('aria-expanded', 'false');
    // The host's own text may not say what the button does ("Help"): its accessible name then says it. The default does.
    if (customText && !/\bask\b/i.test(customText)) launcher.setAttribute('aria-label', labels.aboutLabel.replace('{text}', customText));
    launcher.innerHTML =
      '<svg viewBox="0 0 20 20" aria-hidden="true"><path d="M10 2l1.8 4.7L16.5 8.5l-4.7 1.8L10 15l-1.8-4.7L3.5 8.5l4.7-1.8z"/></svg>';
    launcher.appendChild(document.createTextNode(buttonText));
    launcher.hidden = !isLauncherShown;
    wrapper.appendChild(launcher);
    root.appendChild(style);
    root.appendChild(wrapper);

    const darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    const resolvedTheme = () => (theme === 'auto' ? (darkQuery && darkQuery.matches ? 'dark' : 'light') : theme);
    const applyTheme = () => {
      wrapper.className = resolvedTheme() === 'dark' ? 'dark' : '';
      post({ type: 'paste-assistant:theme', theme: resolvedTheme() });
    };

    let frame: HTMLIFrameElement | null = null;
    let isFrameReady = false;
    let isOpen = false;
    let pending: Record<string, unknown>[] = [];
    // The reader token the frame was last given (undefined: none yet; the frame is told again when it is new).
    let postedReaderToken: string | null | undefined = undefined;
    let returnFocusTo: Element | null = null;

    function post(message: Record<string, unknown>) {
      if (frame && frame.contentWindow && isFrameReady) frame.contentWindow.postMessage(message, assistantOrigin);
    }
    // The frame's session token, kept here for a frame the browser gives no storage (lib/shared/embed-protocol.ts).
    const tokenKey = `paste-assistant:session:${assistantOrigin}`;
    function hello() {
      let token: string | null = null;
      try {
        token = localStorage.getItem(tokenKey);
      } catch {
        // No storage here either: the frame starts a new session.
      }
      if (frame && frame.contentWindow) {
        frame.contentWindow.postMessage(
          { type: 'paste-assistant:hello', version: settings.version, theme: resolvedTheme(), token, searchUrl, docsVersion, pageUrl },
          assistantOrigin,
        );
      }
    }
    /** Creates the frame (hidden); its page starts loading at once. */
    function ensureFrame(): HTMLIFrameElement {
      if (frame) return frame;
      frame = document.createElement('iframe');
      frame.className = 'panel';
      frame.title = labels.frame;
      frame.hidden = true;
      frame.setAttribute('allow', 'clipboard-write');
      frame.src = `${assistantOrigin}/embed`;
      frame.addEventListener('load', hello);
      wrapper.appendChild(frame);
      place();
      return frame;
    }
    function setOpen(next: boolean) {
      if (next === isOpen) return;
      isOpen = next;
      const panel = ensureFrame();
      panel.hidden = !next;
      launcher.setAttribute('aria-expanded', String(next));
      if (next) {
        returnFocusTo = document.activeElement;
        launcher.hidden = true;
        panel.focus();
        send({ type: 'paste-assistant:open' });
      } else {
        launcher.hidden = !isLauncherShown;
        const target = returnFocusTo as HTMLElement | null;
        if (target && target.isConnected && typeof target.focus === 'function' && target !== document.body) target.focus();
        else if (isLauncherShown) launcher.focus();
      }
      place();
    }
    function send(message: Record<string, unknown>) {
      if (isFrameReady) post(message);
      else pending.push(message);
    }
    /**
     * Tells a ready frame the host's latest word on the reader, once. Posted before the questions queued for it, and
     * the frame holds questions while it signs the reader in, so that they are answered as that reader.
     */
    function syncReaderToken() {
      if (!isFrameReady || readerToken === undefined || readerToken === postedReaderToken) return;
      postedReaderToken = readerToken;
      post({ type: 'paste-assistant:reader-token', token: readerToken });
    }

    window.addEventListener('message', (event: MessageEvent) => {
      if (!frame || event.source !== frame.contentWindow || event.origin !== assistantOrigin) return;
      const message = event.data as { type?: unknown } | null;
      if (!message || typeof message !== 'object') return;
      if (message.type === 'paste-assistant:frame-ready') {
        // A new page in the frame: it knows nothing of the reader yet.
        postedReaderToken = undefined;
        hello();
      } else if (message.type === 'paste-assistant:ready') {
        isFrameReady = true;
        syncReaderToken();
        const queued = pending;
        pending = [];
        for (const item of queued) post(item);
        if (isOpen) post({ type: 'paste-assistant:open' });
      } else if (message.type === 'paste-assistant:close') setOpen(false);
      else if (message.type === 'paste-assistant:reader') {
        const status = (message as { status?: unknown }).status;
        if (status === 'signed-in' || status === 'signed-out' || status === 'refused') {
          if (status === 'refused') console.warn(`${PREFIX} the reader token was refused (expired, or not signed with the configured secret or keys); the panel shows the public docs.`);
          window.dispatchEvent(new CustomEvent('paste-assistant:reader', { detail: { status } }));
        }
      }
      else if (message.type === 'paste-assistant:session') {
        const token = (message as { token?: unknown }).token;
        try {
          if (typeof token === 'string' && token.length <= 1024) localStorage.setItem(tokenKey, token);
        } catch {
          // No storage: the next visit starts a new session.
        }
      }
    });

    // Placed against the visual viewport, not the layout viewport that `position: fixed` uses: on a phone, a host
    // page wider than the screen (a long code block) widens the layout viewport, and `bottom/right: 20px` would put
    // the launcher and the panel off-screen. Pinch zoom is undone (scale 1/zoom), so both keep their own size.
    const GAP = 20;
    function place() {
      const viewport = window.visualViewport;
      if (!viewport) return;
      const zoom = viewport.scale > 0 ? viewport.scale : 1;
      const isLeft = side === 'left';
      // Always, not only when the page looks wider than the screen: a phone's layout viewport can be wider than
      // both the visual viewport and documentElement.clientWidth, so no cheap test tells the cases apart.
      const inverse = 1 / zoom;
      if (!launcher.hidden) {
        const width = launcher.offsetWidth;
        const height = launcher.offsetHeight;
        const left = isLeft ? viewport.offsetLeft + GAP * inverse : viewport.offsetLeft + viewport.width - (width + GAP) * inverse;
        const top = viewport.offsetTop + viewport.height - (height + GAP) * inverse;
        launcher.style.cssText = `left:${left}px;top:${top}px;right:auto;bottom:auto;transform:scale(${inverse});transform-origin:0 0`;
      }
      if (frame) {
        const screenWidth = viewport.width * zoom;
        const width = Math.min(400, screenWidth);
        const left = isLeft ? viewport.offsetLeft : viewport.offsetLeft + viewport.width - width * inverse;
        const hiddenShift = frame.hidden ? (isLeft ? -440 : 440) * inverse : 0;
        frame.style.cssText =
          `left:${left + hiddenShift}px;top:${viewport.offsetTop}px;right:auto;bottom:auto;width:${width}px;max-width:none;` +
          `height:${viewport.height * zoom}px;transform:scale(${inverse});transform-origin:0 0`;
      }
    }
    let placeRequest = 0;
    const schedulePlace = () => {
      if (placeRequest) return;
      placeRequest = requestAnimationFrame(() => {
        placeRequest = 0;
        place();
      });
    };
    if (window.visualViewport) {
      window.visualViewport.addEventListener('resize', schedulePlace);
      window.visualViewport.addEventListener('scroll', schedulePlace);
    }
    window.addEventListener('resize', schedulePlace);
    window.addEventListener('load', schedulePlace);

    const preload = () => void ensureFrame();
    launcher.addEventListener('pointerenter', preload);
    launcher.addEventListener('focus', preload);
    launcher.addEventListener('touchstart', preload, { passive: true });
    launcher.addEventListener('click', () => setOpen(!isOpen));
    if (shortcut) {
      document.addEventListener('keydown', (event: KeyboardEvent) => {
        if (
          String(event.key || "").toLowerCase() === shortcut.key &&
          event.ctrlKey === shortcut.ctrl &&
          event.metaKey === shortcut.meta &&
          event.altKey === shortcut.alt &&
          event.shiftKey === shortcut.shift
        ) {
          event.preventDefault();
          setOpen(!isOpen);
        }
      });
    }
    // "Ask about this" beside a selection on the host page: the selected text (at most MAX_QUESTION_CHARS) goes to the
    // frame with the page's address and title, attached to the reader's next question there. Nothing is shown while
    // nothing is selected. Keyboard: Tab from a selection goes to the button (a status line says so), Escape hides it.
    if (isSelectionAsked) {
      const ask = document.createElement('button');
      ask.type = 'button';
      ask.className = 'ask';
      ask.hidden = true;
      ask.innerHTML = launcher.innerHTML.replace(/<\/svg>[\s\S]*$/, '</svg>');
      ask.appendChild(document.createTextNode(labels.askSelection || 'Ask about this'));
      const status = document.createElement('div');
      status.className = 'status';
      status.setAttribute('role', 'status');
      status.setAttribute('aria-live', 'polite');
      wrapper.appendChild(ask);
      wrapper.appendChild(status);
      let selected = '';
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hide = () => {
        selected = '';
        ask.hidden = true;
        status.textContent = '';
      };
      const read = () => {
        const selection = window.getSelection();
        if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return hide();
        const range = selection.getRangeAt(0);
        // Text in form fields is the reader's own typing, not the page's.
        const node = range.commonAncestorContainer;
        const element = node.nodeType === 1 ? (node as Element) : node.parentElement;
        if (element && element.closest('input,textarea,[contenteditable=""],[contenteditable="true"]')) return hide();
        let text = selection.toString().replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
        if (text.replace(/\s+/g, '').length < 3) return hide();
        if (text.length > MAX_QUESTION_CHARS) text = `${text.slice(0, MAX_QUESTION_CHARS - 1).trimEnd()}…`;
        selected = text;
        const rect = range.getBoundingClientRect();
        ask.hidden = false;
        ask.style.top = `${Math.min(rect.bottom + 8, window.innerHeight - 48)}px`;
        ask.style.left = `${Math.max(8, Math.min(rect.left, window.innerWidth - 200))}px`;
        status.textContent = labels.askSelectionHint || 'Ask about this: press Tab, then Enter, to ask the docs assistant about the selected text.';
      };
      const settle = (delay: number) => {
        clearTimeout(timer);
        timer = setTimeout(read, delay);
      };
      document.addEventListener('pointerup', (event: Event) => {
        if (event.target !== host) settle(0);
      });
      document.addEventListener('keyup', (event: KeyboardEvent) => {
        const target = event.target as Element | null;
        const isTyping = !!target && typeof target.matches === 'function' && target.matches('input,textarea,select');
        if (event.target !== host && event.key !== 'Tab' && !isTyping) settle(0);
      });
      document.addEventListener('selectionchange', () => {
        if (window.getSelection()?.isCollapsed ?? true) {
          clearTimeout(timer);
          if (root.activeElement !== ask) hide();
        } else settle(400);
      });
      window.addEventListener('scroll', () => {
        if (root.activeElement !== ask) hide();
      }, { passive: true });
      document.addEventListener('keydown', (event: KeyboardEvent) => {
        if (ask.hidden) return;
        if (event.key === 'Escape') return hide();
        if (event.key !== 'Tab' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey || root.activeElement === ask) return;
        const active = document.activeElement;
        if (active && active !== document.body && active.matches('input,textarea,select')) return;
        event.preventDefault();
        ask.focus();
      });
      ask.addEventListener('pointerdown', (event: Event) => event.preventDefault());
      ask.addEventListener('pointerenter', preload);
      ask.addEventListener('focus', preload);
      ask.addEventListener('click', () => {
        if (selected === '') return;
        const quote = selected;
        hide();
        // Attached: the page's selection has done its work, and would offer the button again at the next keyup.
        const selection = window.getSelection();
        if (selection) selection.removeAllRanges();
        setOpen(true);
        send({ type: 'paste-assistant:ask-quote', quote, url: pageUrl, title: document.title.slice(0, MAX_ATTRIBUTE_CHARS) });
      });
    }
    if (darkQuery && theme === 'auto') {
      if (darkQuery.addEventListener) darkQuery.addEventListener('change', applyTheme);
      else if (darkQuery.addListener) darkQuery.addListener(applyTheme);
    }
    applyTheme();

    const api: TPasteAssistantApi & { __isPasteAssistant: true } = {
      __isPasteAssistant: true,
      open(options?: { question?: string }) {
        const question = options && typeof options.question === 'string' ? options.question.trim() : '';
        if (question.length > MAX_QUESTION_CHARS) console.warn(`${PREFIX} open(): the question is longer than ${MAX_QUESTION_CHARS} characters; ignored.`);
        setOpen(true);
        if (question !== '' && question.length <= MAX_QUESTION_CHARS) send({ type: 'paste-assistant:ask', question });
      },
      close() {
        setOpen(false);
      },
      toggle() {
        setOpen(!isOpen);
      },
      setReaderToken(token: string | null) {
        if (token !== null && (typeof token !== 'string' || token.trim() === '' || token.length > MAX_READER_TOKEN_CHARS)) {
          console.warn(`${PREFIX} setReaderToken(): expected a token (a JWT of at most ${MAX_READER_TOKEN_CHARS} characters) or null; ignored.`);
          return;
        }
        readerToken = token === null ? null : token.trim();
        // A frame not made yet is told when it is ready.
        syncReaderToken();
      },
      get isOpen() {
        return isOpen;
      },
    };
    const mount = () => {
      document.body.appendChild(host);
      place();
      // The page may widen after the launcher is added (images, fonts, late code blocks).
      if (typeof ResizeObserver === 'function') new ResizeObserver(schedulePlace).observe(document.documentElement);
      if ((window as unknown as { PasteAssistant?: unknown }).PasteAssistant === undefined) {
        (window as unknown as { PasteAssistant: typeof api }).PasteAssistant = api;
      } else {
        console.warn(`${PREFIX} window.PasteAssistant is taken by the page; use the API from the paste-assistant:ready event's detail.`);
      }
      window.dispatchEvent(new CustomEvent('paste-assistant:ready', { detail: api }));
    };
    if (document.body) mount();
    else document.addEventListener('DOMContentLoaded', mount);
  } catch (error) {
    console.warn(`${PREFIX} could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}
