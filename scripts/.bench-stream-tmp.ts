import { benchStreaming } from './bench-streaming';
void (async () => {
  const rows = await benchStreaming({ conversations: Number(process.argv[2] ?? 20) });
  for (const [k, v] of Object.entries(rows)) console.log(`${k}: ${v}`);
})();
