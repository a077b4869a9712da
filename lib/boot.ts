import { getApp } from './app';
import { isConfigError, loadConfig } from './config';

export async function boot(): Promise<void> {
  try {
    loadConfig();
  } catch (error) {
    if (isConfigError(error)) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const app = await getApp();
  app.log.info(
    { store: app.config.store.mode, model: app.model.name, slack: app.config.slack.mode, session: app.config.session.mode },
    'paste assistant ready',
  );
}
