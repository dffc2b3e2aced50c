// Reads the official JSONata test suite: every group, every case (a file may hold one case or a list).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { referencePath } from '@iiot/test-support';

/** Where the suite lives: `reference/jsonata-test-suite/` in the repository. */
export const SUITE_DIR = referencePath('jsonata-test-suite/');

export interface SuiteCase {
  /** `group/file#n`. */
  name: string;
  expr: string;
  data: unknown;
  bindings: Record<string, unknown>;
  timelimit?: number;
  depth?: number;
  unordered?: boolean;
  result?: unknown;
  undefinedResult?: boolean;
  code?: string;
  token?: string;
}

interface RawCase extends Omit<SuiteCase, 'name' | 'data' | 'bindings'> {
  'expr-file'?: string;
  data?: unknown;
  dataset?: string | null;
  bindings?: Record<string, unknown>;
  error?: { code: string; token?: string };
}

/** Every case of the suite, with its dataset loaded. */
export function loadSuite(dir = SUITE_DIR): SuiteCase[] {
  const datasets = new Map<string, unknown>();
  const dataset = (name: string) => {
    if (!datasets.has(name)) datasets.set(name, JSON.parse(readFileSync(join(dir, 'datasets', `${name}.json`), 'utf8')));
    return datasets.get(name);
  };
  const cases: SuiteCase[] = [];
  const groupsDir = join(dir, 'groups');
  for (const group of readdirSync(groupsDir).sort()) {
    for (const file of readdirSync(join(groupsDir, group)).sort()) {
      if (!file.endsWith('.json')) continue;
      const parsed = JSON.parse(readFileSync(join(groupsDir, group, file), 'utf8')) as RawCase | RawCase[];
      const list = Array.isArray(parsed) ? parsed : [parsed];
      list.forEach((raw, i) => {
        const expr = raw['expr-file'] ? readFileSync(join(groupsDir, group, raw['expr-file']), 'utf8') : raw.expr;
        const data = 'data' in raw ? raw.data : typeof raw.dataset === 'string' ? dataset(raw.dataset) : undefined;
        const code = raw.code ?? raw.error?.code;
        const token = raw.token ?? raw.error?.token;
        cases.push({
          ...raw,
          name: `${group}/${file}${list.length > 1 ? `#${i}` : ''}`,
          expr,
          data,
          bindings: raw.bindings ?? {},
          ...(code === undefined ? {} : { code }),
          ...(token === undefined ? {} : { token }),
        });
      });
    }
  }
  return cases;
}
