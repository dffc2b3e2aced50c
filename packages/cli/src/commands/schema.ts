import { createCommissioningJsonSchema } from '@iiot/commissioning';
import type { CliIo } from '../output.js';

/** `iiot schema`: the commissioning file's JSON Schema, for editors (yaml-language-server). */
export function schemaCommand(io: CliIo): number {
  io.out(JSON.stringify(createCommissioningJsonSchema(), null, 2));
  return 0;
}
