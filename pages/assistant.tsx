import Head from 'next/head';
import { useState } from 'react';
import useSWR from 'swr';
import { AIChatLog, AIChatMessage, AIChatMessageAuthor, AIChatMessageBody } from '@twilio-paste/core/ai-chat-log';
import { Anchor } from '@twilio-paste/core/anchor';
import { Box } from '@twilio-paste/core/box';
import { Button } from '@twilio-paste/core/button';
import { Heading } from '@twilio-paste/core/heading';
import { Label } from '@twilio-paste/core/label';
import { Paragraph } from '@twilio-paste/core/paragraph';
import { TextArea } from '@twilio-paste/core/textarea';
import { apiFetch, fetcher, isTerminal, type TList, type TMessage, type TRun, type TThread } from '@/components/assistant/api';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default function AssistantPage() {
  const threads = useSWR<TList<TThread>>('/api/paste-assistant-thread', fetcher);
  const [threadId, setThreadId] = useState<string | null>(null);
  const messages = useSWR<TList<TMessage>>(threadId ? `/api/paste-assistant-messages/${threadId}?limit=100` : null, fetcher);
  const [draft, setDraft] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send() {
    const text = draft.trim();
    if (!text || isBusy) return;
    setIsBusy(true);
    setError(null);
    try {
      let id = threadId;
      if (!id) {
        id = (await apiFetch<TThread>('/api/paste-assistant-thread', { method: 'POST' })).id;
        setThreadId(id);
      }
      let { run } = await apiFetch<{ run: TRun }>('/api/paste-assistant-message', { method: 'POST', body: { threadId: id, message: text } });
      setDraft('');
      while (!isTerminal(run)) {
        await sleep(1000);
        run = await apiFetch<TRun>(`/api/paste-assistant-thread/${id}/run/${run.id}`);
      }
      if (run.status !== 'completed') setError(run.last_error?.message ?? run.incomplete_details?.message ?? `The run ended ${run.status}.`);
      await Promise.all([messages.mutate(), threads.mutate()]);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Something went wrong.');
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <>
      <Head>
        <title>Assistant · Paste Assistant</title>
      </Head>
      <Box display="flex" minHeight="100vh">
        <Box as="nav" width="size30" borderRightWidth="borderWidth10" borderRightStyle="solid" borderRightColor="colorBorderWeak" padding="space50">
          <Heading as="h2" variant="heading40">
            Threads
          </Heading>
          <Box marginBottom="space40">
            <Button variant="secondary" size="small" onClick={() => setThreadId(null)}>
              New thread
            </Button>
          </Box>
          {threads.data?.data.map((thread) => (
            <Box key={thread.id} marginBottom="space20">
              <Button variant={thread.id === threadId ? 'primary' : 'link'} size="small" onClick={() => setThreadId(thread.id)}>
                {thread.metadata.threadTitle ?? 'New thread'}
              </Button>
            </Box>
          ))}
        </Box>
        <Box as="main" flexGrow={1} padding="space70" maxWidth="size80">
          <Heading as="h1" variant="heading20">
            Ask the docs
          </Heading>
          <AIChatLog>
            {messages.data?.data.map((message) => (
              <AIChatMessage key={message.id} variant={message.role === 'user' ? 'user' : 'bot'}>
                <AIChatMessageAuthor aria-label={message.role === 'user' ? 'You said' : 'The assistant said'}>
                  {message.role === 'user' ? 'You' : 'Assistant'}
                </AIChatMessageAuthor>
                <AIChatMessageBody>
                  <Box whiteSpace="pre-wrap">{message.content[0]?.text.value}</Box>
                  {message.content[0]?.text.annotations.map((annotation) => (
                    <Box key={annotation.start_index}>
                      <Anchor href={annotation.url}>{annotation.title}</Anchor>
                    </Box>
                  ))}
                </AIChatMessageBody>
              </AIChatMessage>
            ))}
          </AIChatLog>
          {error ? <Paragraph>{error}</Paragraph> : null}
          <Box marginTop="space60">
            <Label htmlFor="composer">Your question</Label>
            <TextArea
              id="composer"
              name="composer"
              value={draft}
              disabled={isBusy}
              onChange={(event) => setDraft(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && !event.shiftKey) {
                  event.preventDefault();
                  void send();
                }
              }}
            />
            <Box marginTop="space30">
              <Button variant="primary" onClick={() => void send()} loading={isBusy}>
                Send
              </Button>
            </Box>
          </Box>
        </Box>
      </Box>
    </>
  );
}
