// Where the assistant's panel sits: shared by the page's host (first load) and the panel (loaded later).

export const FULL_PAGE_PATH = '/assistant';
/** The embed's page (pages/embed.tsx): the assistant inside another site's frame, so no panel either. */
export const EMBED_PATH = '/embed';
/** The panel's width beside the page, and on tablets over it; phones get the whole screen. */
export const PANEL_WIDTH = '25rem';
export const PANEL_ID = 'assistant-side-panel';
/** Wide enough to dock the panel beside the page (Paste's third breakpoint, size120). */
export const DOCKED_QUERY = '(min-width: 77rem)';
