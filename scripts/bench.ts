import { benchStart } from './bench-start';

// `npm run bench`: every performance figure of the project, printed as tables. Needs `npm run build`.

type TSection = { name: string; run: () => Promise<Record<string, string>> };

const sections: TSection[] = [{ name: 'Start-up and offline conversation', run: benchStart }];

async function main() {
  let hasFailed = false;
  for (const section of sections) {
    process.stdout.write(`\n## ${section.name}\n`);
    try {
      const figures = await section.run();
      const width = Math.max(...Object.keys(figures).map((key) => key.length));
      for (const [key, value] of Object.entries(figures)) process.stdout.write(`  ${key.padEnd(width)}  ${value}\n`);
    } catch (error) {
      hasFailed = true;
      process.stdout.write(`  failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  process.exit(hasFailed ? 1 : 0);
}

void main();
