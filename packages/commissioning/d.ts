import { readFileSync } from 'node:fs';
import { validateCommissioning } from './src/index.ts';
const f = process.argv[2]!;
for (const i of validateCommissioning(readFileSync(f, 'utf8')).issues) console.log(i.code, `${i.line}:${i.column}`, i.message, i.hint ?? '');
