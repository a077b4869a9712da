// The reader's light/dark choice, shared by the page's <head> (pages/_document.tsx, whose CSP carries this
// script's hash: lib/http/csp.ts) and the header's toggle (components/site/color-scheme.ts).

export const COLOR_SCHEME_STORAGE_KEY = 'paste-assistant:color-scheme';

/**
 * Inline in every page's <head>, so it runs before the body is painted: puts the reader's saved choice, if
 * any, on <html data-theme>. Without one, CSS follows the system (styles/paste-tokens.css). Tiny, and never throws.
 */
export const COLOR_SCHEME_SCRIPT = `try{var s=localStorage.getItem(${JSON.stringify(COLOR_SCHEME_STORAGE_KEY)});if(s==="light"||s==="dark")document.documentElement.setAttribute("data-theme",s)}catch(e){}`;
