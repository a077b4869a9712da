import Head from 'next/head';
import { AssistantPage } from '@/components/assistant/AssistantPage';

export default function Assistant() {
  return (
    <>
      <Head>
        <title>Assistant · Paste Assistant</title>
        <meta name="description" content="Ask questions about the docs; answers link to the sections they come from." />
      </Head>
      <AssistantPage />
    </>
  );
}
