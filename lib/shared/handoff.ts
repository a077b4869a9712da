// A hand-off to the maintainers as the reader's browser sees it (POST and GET /api/paste-assistant-thread/[tid]/handoff):
// where it went, its link when it has one, and when a maintainer replied. Never the reader's address: only whether
// replies are e-mailed.

export type THandoffChannelView = 'github' | 'slack' | 'email';

export type THandoffView = {
  /** Where the hand-off went first: GitHub (an issue or a discussion), the maintainers' Slack channel. */
  channel: THandoffChannelView;
  /** The or discussion's address (GitHub only). */
  url?: string;
  status: 'pending' | 'opened' | 'failed';
  created_at: number;
  /** When a maintainer first replied (Unix seconds), else null. */
  replied_at: number | null;
  /** Whether the maintainers' replies are also e-mailed to the reader (to the address they left, once confirmed). */
  is_emailed: boolean;
  /** Whether that address is confirmed (by the link of the first mail it got); replies are e-mailed only then. */
  is_email_confirmed: boolean;
};

/** What the site offers a reader (GET …/handoff, and the panel's settings): the channels configured, and whether an e-mail is asked for. */
export type THandoffOffer = { isOn: boolean; channels: THandoffChannelView[]; isEmailOffered: boolean };
