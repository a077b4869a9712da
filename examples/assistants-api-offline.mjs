// The Assistants API (/v1) of a Paste Assistant server that runs the built-in offline model (no OPENAI_API_KEY
// or OPENAI_BASE_URL set). The offline model answers only from the docs, through a function tool your code runs:
//
//   1. the assistant declares a function tool named get_relevant_docs, taking {"prompt": string};
//   2. a run stops at `requires_action` with a call of it, arguments {"prompt": "<what to look for>"};
//   3. your code searches and submits the output: a JSON string
//        {"query": "...", "results": [{"title", "heading", "url", "content"}, ...], "evidence": "strong" | "weak"}
//      (`evidence` is optional; "weak", or no results, makes the answer say the docs do not cover the question);
//   4. the run completes with an answer made of excerpts of those results, citing their URLs.
//
// Any other output (plain text, another shape) reads as "nothing found". Here the search is the site's own
// (POST /api/docs-search), as the site's assistant does it. Plain fetch, Node 20 or later, no packages:
//
//   PASTE_URL=http://localhost:3000 PASTE_API_KEY=pa-sk-… node examples/assistants-api-offline.mjs "How do I configure Slack?"

const baseUrl = (process.env.PASTE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const apiKey = process.env.PASTE_API_KEY;
const question = process.argv[2] ?? 'How do I configure Slack?';
if (!apiKey) {
  console.error('Set PASTE_API_KEY to a key of the server (`npm run api-key -- create example`, or one of API_KEYS).');
  process.exit(1);
}

async function call(method, path, body) {
  const isApi = path.startsWith('/v1/');
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(isApi ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Polls the run until it needs the tool's output or has ended. */
async function waitForRun(threadId, runId) {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const run = await call('GET', `/v1/threads/${threadId}/runs/${runId}`);
    if (!['queued', 'in_progress'].includes(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the run did not finish in 60 seconds');
}

/** The tool's output: the site's docs search, in the shape the offline model reads. */
async function getRelevantDocs(prompt) {
  const { data } = await call('POST', '/api/docs-search', { prompt, limit: 5 });
  return { query: prompt, results: data.map(({ title, heading, url, content }) => ({ title, heading, url, content })) };
}

const assistant = await call('POST', '/v1/assistants', {
  model: 'offline',
  name: 'Docs helper',
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_relevant_docs',
        description: "Search this site's documentation.",
        parameters: { type: 'object', properties: { prompt: { type: 'string' } }, required: ['prompt'] },
      },
    },
  ],
});
let run = await call('POST', '/v1/threads/runs', { assistant_id: assistant.id, thread: { messages: [{ role: 'user', content: question }] } });
run = await waitForRun(run.thread_id, run.id);
while (run.status === 'requires_action') {
  const outputs = [];
  for (const toolCall of run.required_action.submit_tool_outputs.tool_calls) {
    const { prompt } = JSON.parse(toolCall.function.arguments);
    console.log(`tool call: ${toolCall.function.name} ${JSON.stringify({ prompt })}`);
    outputs.push({ tool_call_id: toolCall.id, output: JSON.stringify(await getRelevantDocs(prompt)) });
  }
  await call('POST', `/v1/threads/${run.thread_id}/runs/${run.id}/submit_tool_outputs`, { tool_outputs: outputs });
  run = await waitForRun(run.thread_id, run.id);
}
if (run.status !== 'completed') throw new Error(`the run ended ${run.status}: ${JSON.stringify(run.last_error)}`);

const messages = await call('GET', `/v1/threads/${run.thread_id}/messages?run_id=${run.id}`);
const answer = messages.data.find((message) => message.role === 'assistant');
const text = answer.content.find((part) => part.type === 'text').text;
console.log(`run: ${run.status}`);
console.log(text.value);
for (const annotation of text.annotations) console.log(`cites: ${annotation.url} (${annotation.title})`);
await call('DELETE', `/v1/assistants/${assistant.id}`);
