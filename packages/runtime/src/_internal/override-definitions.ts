import { isMap, parseDocument } from 'yaml';
import { RuntimeError } from '../errors.js';

/**
 * Replaces values under `definitions` of a commissioning text, so a file written with placeholder
 * certificates runs unchanged with real ones. Comments, tags and everything else are kept; positions in
 * later error messages may move by the number of lines the new values add.
 */
export function overrideDefinitions(source: string, fileName: string, definitions: Record<string, unknown>): string {
  const names = Object.keys(definitions);
  if (names.length === 0) return source;
  const doc = parseDocument(source, { keepSourceTokens: false });
  const section = doc.get('definitions');
  for (const name of names) {
    if (!isMap(section) || !section.has(name)) {
      throw new RuntimeError(
        'DEFINITION_UNKNOWN',
        `${fileName} has no definition "${name}" to override. Declared definitions: ${isMap(section) ? section.items.map((i) => String(i.key)).join(', ') : 'none'}.`,
      );
    }
    section.set(name, definitions[name]);
  }
  return doc.toString({ lineWidth: 0 });
}
