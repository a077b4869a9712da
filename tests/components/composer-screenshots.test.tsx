// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createEvent, fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Composer } from '@/components/assistant/Composer';
import { fittedSize } from '@/components/assistant/screenshot';
import { MAX_IMAGE_BYTES, MAX_IMAGES } from '@/lib/shared/images';
import { renderWithProviders } from '../helpers/dom';

// Screenshots in the composer (issue 71): picked with "Attach a screenshot", pasted into the box or dropped on it;
// refused at once when they are not PNG/JPEG/WebP or over the limit; shown as thumbnails that can be removed; sent
// with the message, which may be an image alone. jsdom has no canvas: the file goes as it is (what a browser without
// one does); the resize itself is seen in Chromium (tests/e2e/screenshot-composer.test.ts).

const PNG = readFileSync(path.resolve(import.meta.dirname, '../fixtures/screenshots/missing-scope.png'));
const pngFile = (name = 'missing-scope.png') => new File([PNG], name, { type: 'image/png' });
const box = () => screen.getByRole('textbox', { name: 'Ask a question about the docs' }) as HTMLTextAreaElement;
// The button loads with the composer's first render, a moment later (a lazy part).
const picker = async () => (await screen.findByLabelText('Attach a screenshot', { selector: 'input' })) as HTMLInputElement;
const thumbnails = () => screen.queryAllByRole('img', { name: /^Screenshot \d to send$/ });

describe('Composer screenshots', () => {
  it('picks a PNG, shows its thumbnail, sends it alone as base64, and clears it once sent', async () => {
    const onSend = vi.fn(async () => true);
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    const user = userEvent.setup();
    // The visible button opens the picker from the keyboard.
    expect(await screen.findByRole('button', { name: 'Attach a screenshot' })).toBeTruthy();
    await user.upload(await picker(), pngFile());
    await waitFor(() => expect(thumbnails()).toHaveLength(1));
    expect(thumbnails()[0]?.getAttribute('src')).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    await user.click(screen.getByRole('button', { name: 'Send message' }));
    expect(onSend).toHaveBeenCalledWith('', { mode: 'quick', images: [{ mediaType: 'image/png', data: PNG.toString('base64') }] });
    await waitFor(() => expect(thumbnails()).toHaveLength(0));
  });

  it('removes a screenshot with its button, and puts screenshots back when sending fails', async () => {
    const onSend = vi.fn(async () => false);
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    const user = userEvent.setup();
    await user.upload(await picker(), [pngFile('a.png'), pngFile('b.png')]);
    await waitFor(() => expect(thumbnails()).toHaveLength(2));
    await user.click(screen.getByRole('button', { name: 'Remove screenshot 2' }));
    await waitFor(() => expect(thumbnails()).toHaveLength(1));
    await user.click(box());
    await user.keyboard('Why this error?{Enter}');
    expect(onSend).toHaveBeenCalledWith('Why this error?', { mode: 'quick', images: [{ mediaType: 'image/png', data: PNG.toString('base64') }] });
    await waitFor(() => expect(box().value).toBe('Why this error?'));
    expect(thumbnails()).toHaveLength(1);
  });

  it('takes a screenshot pasted into the box and one dropped on the composer', async () => {
    renderWithProviders(<Composer isDisabled={false} onSend={async () => true} />);
    const pasted = createEvent.paste(box(), { clipboardData: { files: [pngFile()], items: [], types: ['Files'] } });
    fireEvent(box(), pasted);
    await waitFor(() => expect(thumbnails()).toHaveLength(1));
    expect(pasted.defaultPrevented).toBe(true);
    fireEvent.drop(box(), { dataTransfer: { files: [pngFile()], items: [], types: ['Files'] } });
    await waitFor(() => expect(thumbnails()).toHaveLength(2));
  });

  it('refuses another type, an image over the limit and more than MAX_IMAGES, saying why, before anything is sent', async () => {
    const onSend = vi.fn(async () => true);
    renderWithProviders(<Composer isDisabled={false} onSend={onSend} />);
    // applyAccept off: a file a drop or paste brings is not filtered by the picker's accept list.
    const user = userEvent.setup({ applyAccept: false });
    await user.upload(await picker(), new File(['GIF89a'], 'a.gif', { type: 'image/gif' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Only PNG, JPEG or WebP images can be attached.'));
    await user.upload(await picker(), new File([new Uint8Array(MAX_IMAGE_BYTES + 1)], 'big.png', { type: 'image/png' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('This image is larger than 5 MB; attach a smaller one.'));
    expect(thumbnails()).toHaveLength(0);
    await user.upload(await picker(), Array.from({ length: MAX_IMAGES + 1 }, (_, index) => pngFile(`${index}.png`)));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(`A message can carry at most ${MAX_IMAGES} screenshots.`));
    expect(thumbnails()).toHaveLength(MAX_IMAGES);
    expect(onSend).not.toHaveBeenCalled();
  });

  it('draws a large screenshot with its longest side at 2000 px, and leaves a small one as it is', () => {
    expect(fittedSize(3840, 2160)).toEqual({ width: 2000, height: 1125 });
    expect(fittedSize(1000, 4000)).toEqual({ width: 500, height: 2000 });
    expect(fittedSize(1280, 720)).toEqual({ width: 1280, height: 720 });
  });
});
