// The lab API's flags seam (api/lab FlagsService) backed by the shop's flags
// file. The serve command passes this to the API app when it runs with the
// shop (`createFlagsService(resolveFlagsPath())`).

import type { Flag, FlagsService } from '../api/lab/flags';
import { ensureFlagsFile, readFlagsFile, setFlag, type FlagsDocument } from '../shop/flags/file';

function toFlags(doc: FlagsDocument): Flag[] {
  return Object.entries(doc.flags).map(([name, def]) => ({
    name,
    description: def.description ?? '',
    variants: def.variants,
    defaultVariant: def.defaultVariant,
    state: def.state,
  }));
}

export function createFlagsService(file: string): FlagsService {
  ensureFlagsFile(file);
  return {
    list: async () => toFlags(readFlagsFile(file)),
    set: async (name, variant) => {
      setFlag(file, name, variant);
      const flag = toFlags(readFlagsFile(file)).find((f) => f.name === name);
      if (flag === undefined) throw new Error(`flag ${name} vanished from ${file} while being set`);
      return flag;
    },
  };
}
