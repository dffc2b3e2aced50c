import { fileURLToPath } from 'node:url';

const ROOT = new URL('../../../reference/', import.meta.url);

/** The absolute path of a file or folder under the repository's `reference/` folder. */
export function referencePath(relative = ''): string {
  return fileURLToPath(new URL(relative, ROOT));
}
