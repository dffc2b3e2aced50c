import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const SEARCH_EXTRA = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/** The path of the `mosquitto` binary on PATH (or the usual sbin folders), or `undefined`. */
export function findMosquitto(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...SEARCH_EXTRA];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, 'mosquitto');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/**
 * Whether tests that need Mosquitto may run. When it is missing they are skipped with a visible reason,
 * unless IIOT_REQUIRE_MOSQUITTO is set (as CI does): then a missing Mosquitto is a failure, not a skip.
 */
export function mosquittoAvailable(): boolean {
  const path = findMosquitto();
  if (path) return true;
  if (process.env.IIOT_REQUIRE_MOSQUITTO) {
    throw new Error('IIOT_REQUIRE_MOSQUITTO is set but mosquitto is not on PATH: install it (apt-get install -y mosquitto).');
  }
  console.warn('SKIPPED: mosquitto is not on PATH; tests that need it are skipped (apt-get install -y mosquitto).');
  return false;
}
