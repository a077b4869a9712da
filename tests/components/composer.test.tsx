// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createRef } from 'react';
import { Composer, type TComposerHandle } from '@/components/assistant/Composer';
import { renderWithProviders } from '../helpers/dom';

// The message box is a <textarea> styled as Paste's ChatComposer. Typed through real keyboard events.

const box = () => screen.getByRole('textbox', { name: 'Ask a question about the docs' }) as HTMLTextAreaElement;

async function typeInto(text: string) {
  const user = userEvent.setup();
  await user.click(box());
  await user.keyboard(text);
  return user;
}

describe('Composer', () => {
  it('sends one question as research when the Research toggle is on, then is quick again; a failed send keeps it on', async () => {
    let isAccepted = false;
    const onSend = vi.fn(async () => isAccepted);
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    const user = await typeInto('Why does my combobox lose focus?');
    await user.click(screen.getByTestId('composer-research'));
    await user.click(box());
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenLastCalledWith('Why does my combobox lose focus?', { mode: 'research' });
    await waitFor(() => expect(screen.getByTestId('composer-research').getAttribute('aria-pressed')).toBe('true'));
    isAccepted = true;
    await user.click(box());
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenLastCalledWith('Why does my combobox lose focus?', { mode: 'research' });
    await waitFor(() => expect(screen.getByTestId('composer-research').getAttribute('aria-pressed')).toBe('false'));
    await user.keyboard('Next one{Enter}');
    expect(onSend).toHaveBeenLastCalledWith('Next one', { mode: 'quick' });
  });

  it('sends the text on Enter and clears the box', async () => {
    const onSend = vi.fn(async () => true);
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    const user = await typeInto('How do I configure Slack?');
    expect(box().value).toBe('How do I configure Slack?');
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledTimes(1);
    expect(onSend).toHaveBeenCalledWith('How do I configure Slack?', { mode: 'quick' });
    await waitFor(() => expect(box().value).toBe(''));
  });

  it('adds a line on Shift+Enter instead of sending', async () => {
    const onSend = vi.fn(async () => true);
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    const user = await typeInto('first line');
    await user.keyboard('{Shift>}{Enter}{/Shift}second line');
    expect(onSend).not.toHaveBeenCalled();
    expect(box().value).toBe('first line\nsecond line');
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledWith('first line\nsecond line', { mode: 'quick' });
  });

  it('does not send on the Enter that confirms an input method composition', async () => {
    const onSend = vi.fn(async () => true);
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    await typeInto('にほんご');
    fireEvent.keyDown(box(), { key: 'Enter', isComposing: true });
    fireEvent.keyDown(box(), { key: 'Enter', keyCode: 229 });
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('にほんご', { mode: 'quick' });
  });

  it('sends with the Send button, and does not send an empty message', async () => {
    const onSend = vi.fn(async () => true);
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    const send = screen.getByRole('button', { name: 'Send message' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    const user = await typeInto('   ');
    await user.keyboard('{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    await user.keyboard('Where are threads stored?');
    await waitFor(() => expect(send.disabled).toBe(false));
    await user.click(send);
    expect(onSend).toHaveBeenCalledWith('   Where are threads stored?', { mode: 'quick' });
  });

  it('puts the text back when sending fails', async () => {
    let fail!: (isSent: boolean) => void;
    const onSend = vi.fn(() => new Promise<boolean>((resolve) => (fail = resolve)));
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    const user = await typeInto('Keep this question');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(box().value).toBe(''));
    await act(async () => fail(false));
    await waitFor(() => expect(box().value).toBe('Keep this question'));
  });

  it('focus() puts the caret back in a re-enabled composer', async () => {
    const handle = createRef<TComposerHandle>();
    const onSend = vi.fn(async () => true);
    const { rerender } = renderWithProviders(<Composer isDisabled onSend={onSend} composerRef={handle} />);
    // Asked while still disabled: the focus waits for the box to be enabled.
    act(() => handle.current!.focus());
    expect(document.activeElement).not.toBe(box());
    rerender(<Composer isDisabled={false} onSend={onSend} composerRef={handle} />);
    await waitFor(() => expect(document.activeElement).toBe(box()));
    expect(box().disabled).toBe(false);
  });

  it('is not editable and does not send while disabled', async () => {
    const onSend = vi.fn(async () => true);
    const { rerender } = renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    const user = await typeInto('Waiting');
    rerender(<Composer isDisabled onSend={onSend} />);
    await waitFor(() => expect(box().disabled).toBe(true));
    await user.keyboard('{Enter}');
    await user.click(screen.getByRole('button', { name: 'Send message' }));
    expect(onSend).not.toHaveBeenCalled();
  });

  it('with a quote attached, an empty box sends its default ("Explain this passage."), and typed text wins', async () => {
    const onSend = vi.fn(async () => true);
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} emptyMessage="Explain this passage." />);
    const user = userEvent.setup();
    expect(screen.getByRole('button', { name: 'Send message' })).toHaveProperty('disabled', false);
    await user.click(box());
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenLastCalledWith('Explain this passage.', { mode: 'quick' });
    await user.keyboard('Is it required?{Enter}');
    expect(onSend).toHaveBeenLastCalledWith('Is it required?', { mode: 'quick' });
    expect(onSend).toHaveBeenCalledTimes(2);
  });
});
