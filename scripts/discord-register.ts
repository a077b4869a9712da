// `npm run discord:register`: registers the app's commands with Discord — `/ask question:` and the "Ask the docs"
// message command (lib/chat-doors/doors/discord/commands.ts) — as global commands of DISCORD_APPLICATION_ID (PUT
// /applications/{id}/commands, against DISCORD_API_URL when set). Registering again replaces them: run it after
// an upgrade. Prints one line per command; exits 1 when Discord is not configured or refuses.
import { DISCORD_COMMANDS } from '@/lib/chat-doors/doors/discord/commands';
import { createDiscordApi } from '@/lib/chat-doors/doors/discord/client';
import { loadConfig } from '@/lib/config';
import { createLogger } from '@/lib/log';
import { loadProjectEnv } from './lib/load-env.mjs';

async function main() {
  loadProjectEnv();
  const config = loadConfig();
  const discord = config.chatDoors.discord;
  if (discord.mode !== 'enabled') {
    console.error('Discord is not configured: set DISCORD_APPLICATION_ID, DISCORD_PUBLIC_KEY and DISCORD_BOT_TOKEN.');
    process.exit(1);
  }
  const api = createDiscordApi({ apiUrl: discord.apiUrl, applicationId: discord.applicationId, botToken: discord.botToken, log: createLogger({ level: 'warn' }) });
  const registered = await api.putCommands(DISCORD_COMMANDS);
  for (const command of registered) console.log(`registered ${command.name} (${command.id})`);
  console.log(`${registered.length} commands registered for application ${discord.applicationId}.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
