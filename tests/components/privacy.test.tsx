// @vitest-environment jsdom
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { AssistantPage } from '@/components/assistant/AssistantPage';
import { buildMessage } from '../helpers/builders';
import { renderWithProviders } from '../helpers/dom';
import { setupFakeApi } from '../helpers/msw-dom';

// Privacy in the /assistant UI against the routes (msw): the note under a message whose personal data was
// masked, and deleting all threads at once after a confirmation.

const fake = setupFakeApi();

function Page({ initial = null }: { initial?: string | null }) {
  const [selected, setSelected] = useState<string | null>(initial);
  return (
    <>
      <output aria-label="selected thread">{selected ?? 'none'}</output>
      <AssistantPage selectedId={selected} onSelect={setSelected} />
    </>
  );
}

describe('privacy in the UI', () => {
  it('shows the reader’s message as stored, with a one-line note of what was removed', async () => {
    const thread = fake.api.addThread({
      title: 'Billing',
      items: [
        buildMessage({ role: 'user', text: 'Mail [email removed] about card [card number removed]', metadata: { pii_removed: 'email,card' } }),
        buildMessage({ role: 'assistant', text: 'See the billing page.' }),
        buildMessage({ role: 'user', text: 'Thanks, and the Button?' }),
      ],
    });
    renderWithProviders(<Page initial={thread.id} />);
    expect(await screen.findByText('Mail [email removed] about card [card number removed]')).toBeTruthy();
    const notes = screen.getAllByTestId('pii-note');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.textContent).toBe('Personal data was removed before this message was stored: an email address and a card number.');
  });

  it('deletes all threads only after a confirmation', async () => {
    fake.api.addThread({ title: 'One' });
    const two = fake.api.addThread({ title: 'Two' });
    renderWithProviders(<Page initial={two.id} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Delete all threads' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete all your threads?' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(fake.api.count('DELETE', /thread/)).toBe(0);

    await user.click(screen.getByRole('button', { name: 'Delete all threads' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete all threads' }));
    await waitFor(() => expect(screen.getByText('No threads yet. Ask a question to start one.')).toBeTruthy());
    expect(fake.api.requests.filter((entry) => entry.method === 'DELETE').map((entry) => entry.path)).toEqual(['/api/paste-assistant-thread']);
    expect(fake.api.threads).toEqual([]);
    expect(screen.getByRole('status', { name: 'selected thread' }).textContent).toBe('none');
    expect(screen.queryByRole('button', { name: 'Delete all threads' })).toBeNull();
  });
});
