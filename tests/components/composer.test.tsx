// @vitest-environment jsdom
import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createRef } from 'react';
import { Composer, type TComposerHandle } from '@/components/assistant/Composer';
import { renderWithProviders } from '../helpers/dom';

// The message box is Paste's ChatComposer (Lexical). Typed through real keyboard events.

const box = () => screen.getByRole('textbox', { name: 'Ask a question about the docs' });

async function typeInto(text: string) {
  const user = userEvent.setup();
  await user.click(box());
  await user.keyboard(text);
  return user;
}

describe('Composer', () => {
  it('sends the text on Enter and clears the box', async () => {
    const onSend = vi.fn(async () => true);
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    const user = await typeInto('How do I configure Slack?');
    expect(box().textContent).toBe('How do I configure Slack?');
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledTimes(1);
    expect(onSend).toHaveBeenCalledWith('How do I configure Slack?');
    await waitFor(() => expect(box().textContent).toBe(''));
  });

  it('adds a line on Shift+Enter instead of sending', async () => {
    const onSend = vi.fn(async () => true);
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    const user = await typeInto('first line');
    await user.keyboard('{Shift>}{Enter}{/Shift}second line');
    expect(onSend).not.toHaveBeenCalled();
    expect(box().querySelector('br')).not.toBeNull();
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledWith('first line\nsecond line');
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
    expect(onSend).toHaveBeenCalledWith('   Where are threads stored?');
  });

  it('puts the text back when sending fails', async () => {
    let fail!: (isSent: boolean) => void;
    const onSend = vi.fn(() => new Promise<boolean>((resolve) => (fail = resolve)));
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    const user = await typeInto('Keep this question');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(box().textContent).toBe(''));
    await act(async () => fail(false));
    await waitFor(() => expect(box().textContent).toBe('Keep this question'));
  });

  it('focus() puts the caret back in a re-enabled composer', async () => {
    const handle = createRef<TComposerHandle>();
    const onSend = vi.fn(async () => true);
    const { rerender } = renderWithProviders(<Composer isDisabled onSend={onSend} composerRef={handle} />);
    const root = screen.getByLabelText('Ask a question about the docs');
    rerender(<Composer isDisabled={false} onSend={onSend} composerRef={handle} />);
    act(() => handle.current!.focus());
    await waitFor(() => expect(document.activeElement).toBe(root));
    expect(root.getAttribute('contenteditable')).toBe('true');
  });

  it('is not editable and does not send while disabled', async () => {
    const onSend = vi.fn(async () => true);
    const { rerender } = renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    const user = await typeInto('Waiting');
    rerender(<Composer isDisabled onSend={onSend} />);
    await waitFor(() => expect(screen.getByLabelText('Ask a question about the docs').getAttribute('contenteditable')).toBe('false'));
    await user.keyboard('{Enter}');
    await user.click(screen.getByRole('button', { name: 'Send message' }));
    expect(onSend).not.toHaveBeenCalled();
  });
});
