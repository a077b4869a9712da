import { describe, expect, it } from 'vitest';
import { stopRows, stopRunIdOf } from '@/lib/chat-doors/doors/discord/stop';
import { progressBlocks, STOP_ACTION_ID } from '@/lib/chat-doors/doors/slack/style';
import { ZStopRunId } from '@/lib/chat-doors/stop';

// Stop under a research run's progress message in the chat doors (issue 71): the button each door writes names the
// run, and what a press carries is read back as a run's id or as nothing.

const RUN = 'run_0123456789abcdef0123456789abcdef';

describe('Slack: progressBlocks', () => {
  it('is the progress text in a mrkdwn section, then one actions row with Stop naming the run', () => {
    expect(progressBlocks('Researching… searched ‘x’ (1 result)…', RUN)).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Researching… searched ‘x’ (1 result)…', verbatim: true } },
      { type: 'actions', elements: [{ type: 'button', action_id: STOP_ACTION_ID, text: { type: 'plain_text', text: 'Stop' }, value: RUN }] },
    ]);
  });

  it('splits a long text over sections of at most 3,000 characters, Stop last', () => {
    const blocks = progressBlocks(`${'word '.repeat(1500)}`, RUN) as { type: string; text?: { text: string } }[];
    expect(blocks.length).toBeGreaterThan(2);
    expect(blocks.slice(0, -1).every((block) => block.type === 'section' && block.text!.text.length <= 3000)).toBe(true);
    expect(blocks.at(-1)!.type).toBe('actions');
  });
});

describe('Discord: stopRows and stopRunIdOf', () => {
  it('writes one row with a Stop button whose custom_id names the run, and reads the run back from it', () => {
    const rows = stopRows(RUN) as { type: number; components: { type: number; label: string; custom_id: string }[] }[];
    expect(rows).toEqual([{ type: 1, components: [{ type: 2, style: 2, label: 'Stop', custom_id: `pa_stop:${RUN}` }] }]);
    expect(stopRunIdOf(rows[0]!.components[0]!.custom_id)).toBe(RUN);
    // Discord's limit on a custom_id.
    expect(rows[0]!.components[0]!.custom_id.length).toBeLessThanOrEqual(100);
  });

  it('reads nothing from another button or from a value that is no run id', () => {
    for (const customId of ['pa_vote:up:msg_1', `pa_handoff:${RUN}`, 'pa_stop:', 'pa_stop:msg_123', 'pa_stop:run_a b', `pa_stop:${RUN}:more`, `pa_stopx:${RUN}`, `pa_stop:run_${'a'.repeat(81)}`]) {
      expect(stopRunIdOf(customId)).toBeNull();
    }
  });
});

describe('ZStopRunId', () => {
  it('takes a run id as the database makes them, and nothing else', () => {
    expect(ZStopRunId.safeParse(RUN).success).toBe(true);
    for (const value of [null, undefined, '', 'msg_1', 'run_', 'run_<x>', `${RUN}\n`]) expect(ZStopRunId.safeParse(value).success).toBe(false);
  });
});
