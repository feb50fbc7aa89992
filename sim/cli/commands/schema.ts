// `vmsim schema`: the JSON Schema of scenario files, printed or written to --out.
import { stringOption, type Args } from '../args.js';
import type { Io } from '../io/io.js';
import { checkOutFile, writeFileAtomic } from '../io/output.js';
import { scenarioJsonSchema } from '../json-schema.js';

export async function cmdSchema(a: Args, io: Io): Promise<void> {
  const out = stringOption(a, 'out');
  const file = out === undefined ? undefined : checkOutFile(out, io.cwd, '--out');
  const json = JSON.stringify(scenarioJsonSchema(), null, 2) + '\n';
  if (file !== undefined) writeFileAtomic(file, json);
  else io.stdout(json);
}
