import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeError } from '../errors.js';

/** What survives a restart for one installed service. */
export interface StoredService {
  serviceId: string;
  /** Where the commissioning text came from, for messages. */
  fileName: string;
  /** The commissioning file's text as installed, so a restart does not depend on the file still existing. */
  source: string;
  parameters: Record<string, unknown>;
  targetState: 'enabled' | 'disabled';
  /** The password of the service's own broker user. */
  brokerPassword: string;
}

interface StateFile {
  version: 1;
  services: readonly StoredService[];
}

/** Reads and atomically rewrites `services.json` in the data directory (mode 0600: it holds parameters). */
export function createStateStore(dataDir: string) {
  const path = join(dataDir, 'services.json');
  return {
    path,
    load(): StoredService[] {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw storeError(`cannot read ${path}`, error);
      }
      try {
        const parsed = JSON.parse(text) as StateFile;
        return [...parsed.services];
      } catch (error) {
        throw storeError(`${path} is not valid JSON; restore it from a backup or remove it to start empty`, error);
      }
    },
    save(services: readonly StoredService[]): void {
      try {
        mkdirSync(dataDir, { recursive: true });
        const tmp = `${path}.tmp`;
        const fd = openSync(tmp, 'w', 0o600);
        try {
          writeSync(fd, JSON.stringify({ version: 1, services } satisfies StateFile, null, 2));
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, path);
      } catch (error) {
        throw storeError(`cannot write ${path}; check that the data directory is writable`, error);
      }
    },
  };
}

function storeError(what: string, cause: unknown) {
  return new RuntimeError('STATE_STORE_FAILED', `Service state: ${what} (${(cause as Error).message}).`, { cause });
}
