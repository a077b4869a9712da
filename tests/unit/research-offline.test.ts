import { describe, expect, it } from 'vitest';
import { researchBudget, researchInstructions, researchTools } from '@/lib/assistant/engine/research';
import { RESEARCH_DEFAULTS } from '@/lib/assistant/engine/settings';
import { TOOL_DEFINITIONS } from '@/lib/assistant/tools';
import { namedThings, questionParts, respondResearchOffline } from '@/lib/model/offline/research';
import type { TInputItem, TResearchBudget } from '@/lib/model/types';

// Research mode's pure parts (issue 71): the bounds read off a run, and the offline model's steps and answer.

const run = (over: Partial<Parameters<typeof researchBudget>[0]> = {}) => ({
  options: { mode: 'research' },
  metadata: {},
  tool_rounds: [],
  max_tool_rounds: 7,
  created_at: new Date().toISOString(),
  usage: null,
  ...over,
});

const open: TResearchBudget = { stepsLeft: 7, secondsLeft: 90, tokensLeft: 60_000, bound: null, maxSteps: 8, maxSeconds: 90 };

describe('researchBudget', () => {
  it('is undefined for a quick run', () => {
    expect(researchBudget(run({ options: {} }), RESEARCH_DEFAULTS)).toBeUndefined();
  });
  it('counts the rounds, seconds and tokens left, and names the bound that ran out', () => {
    expect(researchBudget(run(), RESEARCH_DEFAULTS)).toMatchObject({ stepsLeft: 7, bound: null });
    const round = { tool_calls: [] };
    expect(researchBudget(run({ tool_rounds: Array(7).fill(round) }), RESEARCH_DEFAULTS)?.bound).toBe('steps');
    expect(researchBudget(run({ created_at: new Date(Date.now() - 91_000).toISOString() }), RESEARCH_DEFAULTS)?.bound).toBe('seconds');
    expect(researchBudget(run({ usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 60_000 } }), RESEARCH_DEFAULTS)?.bound).toBe('tokens');
  });
  it('offers no tools once a bound ran out, and tells the model to answer and say so', () => {
    const spent = { ...open, bound: 'seconds' as const };
    expect(researchTools(TOOL_DEFINITIONS, spent)).toEqual([]);
    expect(researchTools(TOOL_DEFINITIONS, open)).toBe(TOOL_DEFINITIONS);
    expect(researchInstructions('Base.', spent)).toMatch(/answer now from what you have read/);
    expect(researchInstructions('Base.', open)).toMatch(/rewriting the reader's words/);
    expect(researchInstructions('Base.', undefined)).toBe('Base.');
  });
});

describe('namedThings and questionParts', () => {
  it('finds the components, props and errors a question names', () => {
    expect(namedThings('Why does my Combobox lose focus inside a Modal when I set `autoFocus`?')).toEqual(['Combobox autoFocus', 'Combobox', 'Modal']);
    expect(namedThings('The onChange handler of the DatePicker never fires')).toEqual(['DatePicker onChange', 'DatePicker']);
    expect(namedThings('I get "Cannot read properties of undefined" with a TypeError')).toContain('TypeError');
    expect(namedThings('how do i make a popup?')).toEqual([]);
  });
  it('splits a question into its sentences and its joined clauses', () => {
    expect(questionParts('How do I invite the bot to the Slack channel, and which events does it post?')).toEqual([
      'How do I invite the bot to the Slack channel',
      'which events does it post?',
    ]);
    expect(questionParts('How do I theme the widget?')).toEqual(['How do I theme the widget?']);
  });
});

describe('respondResearchOffline', () => {
  const question: TInputItem = { type: 'message', role: 'user', content: 'How do I close a Modal with the Escape key?' };
  const search = (callId: string, query: string, results: object[]): TInputItem[] => [
    { type: 'function_call', call_id: callId, name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: query }) },
    { type: 'function_call_output', call_id: callId, output: JSON.stringify({ query, evidence: 'strong', results }) },
  ];
  const modal = { title: 'Modal', heading: 'Closing', url: '/docs/modal#closing', content: 'Press the Escape key to close the modal.', kind: 'docs' };
  const dialog = { title: 'Dialog', heading: 'Keyboard', url: '/docs/dialog#keyboard', content: 'Escape closes the dialog.', kind: 'docs' };

  it('first searches the question and each thing it names', () => {
    const response = respondResearchOffline([question], TOOL_DEFINITIONS, open);
    expect(response.output.type).toBe('tool_calls');
    const prompts = response.output.type === 'tool_calls' ? response.output.calls.map((call) => JSON.parse(call.arguments).prompt) : [];
    expect(prompts).toEqual(['How do I close a Modal with the Escape key?', 'Modal', 'Escape']);
  });

  it('then reads the top pages whole, then answers by page, citing only what it found', () => {
    const searched = [question, ...search('call_research_q_0', question.content, [modal, dialog])];
    const more = respondResearchOffline(searched, TOOL_DEFINITIONS, { ...open, stepsLeft: 6 });
    // Nothing more to search (no thread, nothing shared): the reads come next.
    expect(more.output.type === 'tool_calls' && more.output.calls.map((call) => call.name)).toEqual(['read_page', 'read_page']);
    const readCalls = more.output.type === 'tool_calls' ? more.output.calls : [];
    const read: TInputItem[] = readCalls.flatMap((call) => [
      { type: 'function_call' as const, call_id: call.call_id, name: call.name, arguments: call.arguments },
      {
        type: 'function_call_output' as const,
        call_id: call.call_id,
        output: JSON.stringify({ url: JSON.parse(call.arguments).url, results: JSON.parse(call.arguments).url === '/docs/modal' ? [modal] : [dialog] }),
      },
    ]);
    const answer = respondResearchOffline([...searched, ...read], TOOL_DEFINITIONS, { ...open, stepsLeft: 5 });
    expect(answer.output.type).toBe('message');
    if (answer.output.type !== 'message') return;
    expect(answer.output.text).toMatch(/^\*\*Summary\.\*\* I searched 1 time and read 2 pages whole/);
    expect(answer.output.text).toMatch(/### Modal[\s\S]*### Dialog/);
    expect(answer.output.annotations?.map((annotation) => annotation.url)).toEqual(['/docs/modal#closing', '/docs/dialog#keyboard']);
    expect(answer.output.metadata).toMatchObject({ research: true });
  });

  it('reads pages through read_page whichever order the tools come in, and never calls read_file (it reads lines by path)', () => {
    const searched = [question, ...search('call_research_q_0', question.content, [modal, dialog])];
    const byName = (name: string) => TOOL_DEFINITIONS.find((tool) => tool.name === name)!;
    for (const tools of [[byName('get_relevant_docs'), byName('read_file'), byName('read_page')], [byName('read_file'), byName('get_relevant_docs'), byName('read_page')]]) {
      const more = respondResearchOffline(searched, tools, { ...open, stepsLeft: 6 });
      expect(more.output.type === 'tool_calls' && more.output.calls.map((call) => call.name)).toEqual(['read_page', 'read_page']);
    }
    // A site with a code source but no page read (a client's own tool list): no read at all, the answer comes next.
    const noPageRead = respondResearchOffline(searched, [byName('get_relevant_docs'), byName('read_file')], { ...open, stepsLeft: 6 });
    expect(noPageRead.output.type).toBe('message');
  });

  it('answers from what it has, and says so, once a bound ran out', () => {
    const searched = [question, ...search('call_research_q_0', question.content, [modal])];
    const answer = respondResearchOffline(searched, [], { ...open, stepsLeft: 5, bound: 'seconds' });
    expect(answer.output.type).toBe('message');
    if (answer.output.type !== 'message') return;
    expect(answer.output.text).toMatch(/stopped at its time limit \(90 s\)/);
    expect(answer.output.annotations?.[0]?.url).toBe('/docs/modal#closing');
  });

  describe('a question the docs do not cover', () => {
    const helm: TInputItem = { type: 'message', role: 'user', content: 'How do I deploy to kubernetes with helm charts?' };
    const chart = { title: 'Chart Provider', heading: 'About Chart Provider', url: '/docs/chart-provider#about', content: 'Chart Provider wraps Highcharts.', kind: 'docs' };
    const weak = (callId: string, query: string, results: object[], more: object = {}): TInputItem[] => [
      { type: 'function_call', call_id: callId, name: 'get_relevant_docs', arguments: JSON.stringify({ prompt: query }) },
      { type: 'function_call_output', call_id: callId, output: JSON.stringify({ query, evidence: 'weak', results, ...more }) },
    ];
    const read = (url: string, results: object[]): TInputItem[] => [
      { type: 'function_call', call_id: 'call_research_read_0', name: 'read_page', arguments: JSON.stringify({ url }) },
      { type: 'function_call_output', call_id: 'call_research_read_0', output: JSON.stringify({ url, results }) },
    ];

    it('says first that the docs do not cover it, as the quick answer does, and offers what it found as related reading', () => {
      // The quick search was weak (the quick answer's not-covered evidence); the further search, made of the results'
      // words, matches them by construction and is no evidence; the page read is one of them.
      const input = [
        helm,
        ...weak('call_research_q_0', helm.content, [chart]),
        ...search('call_research_more_0', 'Chart Provider deploy kubernetes helm charts', [chart]),
        ...read('/docs/chart-provider', [chart]),
      ];
      const answer = respondResearchOffline(input, TOOL_DEFINITIONS, { ...open, stepsLeft: 4 });
      expect(answer.output.type).toBe('message');
      if (answer.output.type !== 'message') return;
      expect(answer.output.text).toMatch(/^The docs don't cover this: nothing in them matches your question well enough to answer it\. I searched 2 times and read 1 page whole; nothing I found answers it\./);
      expect(answer.output.text).toMatch(/\*\*Related reading \(the nearest the docs come, not an answer\)\*\*\n\n- \[Chart Provider › About Chart Provider\]\(\/docs\/chart-provider#about\)/);
      expect(answer.output.text).toMatch(/You can \[search the docs\]\(\/docs\?q=How\+do\+I\+deploy/);
      // Not the answer: nothing quoted, nothing cited, no "closest answer".
      expect(answer.output.text).not.toMatch(/Summary|closest answer|Chart Provider wraps Highcharts/);
      expect(answer.output.annotations).toEqual([]);
      expect(answer.output.metadata).toEqual({ offline: true, research: true, no_docs_match: true });
    });

    it('names the hand-off when the maintainers can be asked, and says it in the question’s language', () => {
      const handoff = respondResearchOffline([helm, ...weak('call_research_q_0', helm.content, [chart])], [], { ...open, stepsLeft: 4, bound: 'steps' }, { isHandoffOn: true });
      expect(handoff.output.type === 'message' && handoff.output.text).toMatch(/hand your question to the maintainers with “Ask the maintainers”/);
      const content = 'Comment déployer sur kubernetes avec des charts helm ?';
      const french = respondResearchOffline(
        [{ type: 'message', role: 'user', content }, ...weak('call_research_q_0', content, [chart]), ...search('call_research_more_0', 'Chart Provider kubernetes', [chart])],
        [],
        { ...open, stepsLeft: 4, bound: 'seconds' },
      );
      expect(french.output.type).toBe('message');
      if (french.output.type !== 'message') return;
      expect(french.output.text).toMatch(/^_[^\n]*_\n\nLa documentation ne traite pas de ce sujet[^\n]*J’ai fait 2 recherches et lu 0 pages en entier ; rien de ce que j’ai trouvé n’y répond\./);
      expect(french.output.text).toMatch(/\*\*À lire en rapport[^*]*\*\*/);
      expect(french.output.text).toMatch(/La recherche s’est arrêtée à sa limite de temps/);
      expect(french.output.text).not.toMatch(/Related reading|I searched|Searched for/);
      expect(french.output.metadata).toMatchObject({ research: true, no_docs_match: true, language: 'fr' });
    });

    it('on a near miss (a name the docs never mention) says that first, quotes the closest sections, and carries not_in_docs', () => {
      const asked: TInputItem = { type: 'message', role: 'user', content: 'How do I close a Modal from Microsoft Teams?' };
      const input = [asked, ...search('call_research_q_0', asked.content, [modal]).map((item) =>
        item.type === 'function_call_output' ? { ...item, output: JSON.stringify({ ...JSON.parse(item.output), not_in_docs: ['Microsoft Teams'] }) } : item)];
      const answer = respondResearchOffline(input, [], { ...open, stepsLeft: 4, bound: 'steps' });
      expect(answer.output.type).toBe('message');
      if (answer.output.type !== 'message') return;
      expect(answer.output.text).toMatch(/^The docs don't mention Microsoft Teams\. This is the closest section they have; it may not be what you need\.\n\n\*\*Summary\.\*\* I searched 1 time and read 0 pages whole\.\n/);
      expect(answer.output.text).not.toMatch(/closest answer is in/);
      expect(answer.output.annotations?.map((annotation) => annotation.url)).toEqual(['/docs/modal#closing']);
      expect(answer.output.metadata).toMatchObject({ research: true, no_docs_match: true, not_in_docs: ['Microsoft Teams'] });
    });

    it('a covered question keeps its answer by page and no no_docs_match', () => {
      const answer = respondResearchOffline([question, ...search('call_research_q_0', question.content, [modal])], [], { ...open, stepsLeft: 4, bound: 'steps' });
      expect(answer.output.type === 'message' && answer.output.text).toMatch(/^\*\*Summary\.\*\* I searched 1 time and read 0 pages whole\. The closest answer is in Modal › Closing\./);
      expect(answer.output.type === 'message' && answer.output.metadata?.no_docs_match).toBeUndefined();
    });
  });

  it('says its own lines in the question’s language (French, Spanish), quoting the docs as written', () => {
    for (const [content, summary, answers, trail, bound] of [
      ['Comment fermer une fenêtre Modal avec la touche Escape ?', /\*\*Résumé\.\*\* J’ai fait 1 recherche et lu 0 pages en entier\. La réponse la plus proche est dans Modal › Closing/, /_En rapport avec votre question_[\s\S]*\*\*Sans réponse\.\*\* Rien de ce que j’ai lu ne répond à “/, /_Recherché : “/, /La recherche s’est arrêtée à sa limite de temps \(90 s\)/],
      ['¿Cómo cierro un Modal con la tecla Escape?', /\*\*Resumen\.\*\* Hice 1 búsqueda y leí de principio a fin 0 páginas\. La respuesta más cercana está en Modal › Closing/, /_Relacionado con tu pregunta_[\s\S]*\*\*Sin respuesta\.\*\* Nada de lo que leí responde a “/, /_Se buscó: “/, /La investigación se detuvo en su límite de tiempo \(90 s\)/],
    ] as const) {
      const asked: TInputItem = { type: 'message', role: 'user', content };
      const answer = respondResearchOffline([asked, ...search('call_research_q_0', content, [modal])], [], { ...open, stepsLeft: 5, bound: 'seconds' });
      expect(answer.output.type).toBe('message');
      if (answer.output.type !== 'message') continue;
      expect(answer.output.text).toMatch(summary);
      expect(answer.output.text).toMatch(answers);
      expect(answer.output.text).toMatch(trail);
      expect(answer.output.text).toMatch(bound);
      // No English line of its own is left; the quote stays as the docs wrote it.
      expect(answer.output.text).not.toMatch(/Summary|I searched|Searched for|Answers:|Related to your question|The research stopped/);
      expect(answer.output.text).toContain('Press the Escape key to close the modal.');
      // The citation still marks the section's name, after the note on the docs' language put before the answer.
      const [cited] = answer.output.annotations ?? [];
      expect(cited && answer.output.text.slice(cited.start_index, cited.end_index)).toBe('Modal › Closing');
    }
  });
});
