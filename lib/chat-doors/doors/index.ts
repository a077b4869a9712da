import type { TChatDoor, TChatDoorDefinition, TDoorDeps, TInboxOptions } from '../door';
import { createInboxWorker, NO_INBOX_WORKER, type TInboxWorker } from '../worker';
import { discordDoor } from './discord';
import { slackDoor } from './slack';

// The registry of chat doors: every door there is, one folder each (./<name>/, exporting one door definition,
// TChatDoorDefinition in ../door.ts), listed once below. lib/config.ts composes their settings from it (each door
// parses its own variables), and the app starts whatever it lists: each door that is on gets its inbox worker
// (../worker.ts). Adding a door: its folder, then one line here.

/** The registry: every chat door there is. */
export const CHAT_DOORS = [slackDoor, discordDoor] as const;

type TDoors = (typeof CHAT_DOORS)[number];
type TUnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

type TSettingsOf<D> = D extends TChatDoorDefinition<string, infer TSettings, never> ? TSettings : never;
type TServicesOf<D> = D extends TChatDoorDefinition<string, unknown, infer TServices> ? TServices : never;

/** Each door's settings by its name, as `config.chatDoors` keeps them. */
export type TChatDoorsConfig = { [D in TDoors as D['name']]: TSettingsOf<D> };

/**
 * Where each door's conversations come from, as the maintainers see it: a door's threads are owned by '<name>:…'
 * (TChatDoor, ../door.ts), so its name is the prefix's source and its label the dashboard's (pa_thread_source,
 * supabase/schemas/10_threads.sql, reads the prefixes the app writes at start).
 */
export const DOOR_THREAD_SOURCES: readonly { prefix: string; source: string; label: string }[] = CHAT_DOORS.map((door) => ({
  prefix: `${door.name}:`,
  source: door.name,
  label: door.label,
}));

/** Every door's variables, for lib/config.ts's schema (ZEnv). */
export const CHAT_DOORS_ENV = Object.assign({}, ...CHAT_DOORS.map((door) => door.env.shape)) as TUnionToIntersection<TDoors['env']['shape']>;

/** Each door's settings from the parsed environment (a door's own check throws a ConfigError naming the variable). */
export function chatDoorsSettings(env: Record<string, unknown>): TChatDoorsConfig {
  return Object.fromEntries(CHAT_DOORS.map((door) => [door.name, door.settings(env as never)])) as TChatDoorsConfig;
}

/** Whether each door is on, under the key /api/health reports it by. */
export function chatDoorModes(config: { chatDoors?: TChatDoorsConfig }): Record<string, 'on' | 'off'> {
  return Object.fromEntries(CHAT_DOORS.map((door) => [door.healthKey, config.chatDoors && isOn(door, config.chatDoors) ? 'on' : 'off']));
}

/** A door's settings as the configuration has them. */
function settingsOf(door: TDoors, chatDoors: TChatDoorsConfig): unknown {
  return chatDoors[door.name];
}

function isOn(door: TDoors, chatDoors: TChatDoorsConfig): boolean {
  return (door as TChatDoorDefinition<string, unknown>).isOn(settingsOf(door, chatDoors));
}

/** The doors a process runs: each one's inbox worker by name (a no-op for a door that is off). */
export type TChatDoors = {
  /** The door's inbox worker (tests and scripts drive it with drainOnce). */
  worker(name: string): TInboxWorker;
  /** A question was written to the door's inbox: answer it soon, here or on another instance. */
  wake(name: string): void;
  start(options?: { isSoleProcess?: boolean }): Promise<void>;
  stop(): Promise<void>;
};

/** What the doors are built with: the app (each door's `create` takes the part it needs) and what its worker drives with. */
export type TChatDoorsDeps = TDoorDeps & TUnionToIntersection<TServicesOf<TDoors>> & { config: { chatDoors: TChatDoorsConfig } };

/** Builds every door the configuration turns on, each with its inbox worker. */
export async function createChatDoors({
  deps,
  workerId,
  options = {},
}: {
  deps: TChatDoorsDeps;
  workerId: string;
  options?: Partial<TInboxOptions>;
}): Promise<TChatDoors> {
  const workers = new Map<string, TInboxWorker>();
  for (const definition of CHAT_DOORS) {
    if (!isOn(definition, deps.config.chatDoors)) continue;
    const create = (definition as TChatDoorDefinition<string, unknown, TChatDoorsDeps>).create;
    const door: TChatDoor = await create({ settings: settingsOf(definition, deps.config.chatDoors), services: deps });
    workers.set(definition.name, createInboxWorker({ door, deps, workerId, options }));
  }
  const worker = (name: string) => workers.get(name) ?? NO_INBOX_WORKER;
  return {
    worker,
    wake: (name) => worker(name).wake(),
    async start(startOptions) {
      for (const each of workers.values()) await each.start(startOptions);
    },
    async stop() {
      for (const each of workers.values()) await each.stop();
    },
  };
}
