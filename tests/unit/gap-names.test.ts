import { describe, expect, it } from 'vitest';
import { capitalisedNames, resolveQuestionNames } from '@/lib/maintainers/gaps/names';

// Names across readers' questions (lib/maintainers/gaps/names.ts): learned from the questions themselves, no list.

const keys = (texts: string[]) => resolveQuestionNames(texts).map((names) => names.map((name) => name.key));

describe('names in readers\' questions', () => {
  it('takes capitalised runs, not the word that opens a sentence or "I"', () => {
    expect(capitalisedNames('Can I post to a Microsoft Teams channel like in Slack?')).toEqual([['Microsoft', 'Teams'], ['Slack']]);
    expect(capitalisedNames('Connect the bot to MS Teams')).toEqual([['MS', 'Teams']]);
    expect(capitalisedNames('How do I change the panel width?')).toEqual([]);
  });

  it('reads an abbreviation and a short form as the name written out in another question', () => {
    expect(keys(['answer in Microsoft Teams channels', 'connect the bot to MS Teams', 'post to a Teams channel'])).toEqual([
      ['microsoft teams'],
      ['microsoft teams'],
      ['microsoft teams'],
    ]);
    // Initials of a name of several words, and an abbreviation of one word: the same rule for any name.
    expect(keys(['sync from Google Drive', 'does GD sync work', 'open issues on GitHub', 'link the GH repo'])).toEqual([
      ['google drive'],
      ['google drive'],
      ['github'],
      ['github'],
    ]);
  });

  it('leaves a short form alone when it could stand for more than one name, or for none', () => {
    expect(keys(['export to Microsoft Excel', 'answer in Microsoft Teams', 'is Microsoft supported'])).toEqual([['microsoft excel'], ['microsoft teams'], ['microsoft']]);
    expect(keys(['what is an SLA here', 'send it to Salesforce'])).toEqual([['sla'], ['salesforce']]);
  });
});
