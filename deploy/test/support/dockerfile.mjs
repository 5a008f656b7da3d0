// Reads a Dockerfile into its stages and instructions: enough for tests to check a recipe's
// structure without a Docker engine (there is none on this machine).

/** Instructions in order: `{ instruction, args, line }`; continuation lines joined, comments left out. */
export function parseDockerfile(text) {
  const instructions = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (!pending && (/^\s*#/.test(line) || !line.trim())) return;
    if (pending && /^\s*#/.test(line)) return; // a comment inside a continued instruction
    if (!pending) startLine = index + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const full = `${pending}${line}`.trim();
    pending = '';
    const [, instruction, args] = /^(\S+)\s*(.*)$/s.exec(full);
    instructions.push({
      instruction: instruction.toUpperCase(),
      args: args.replace(/\s+/g, ' ').trim(),
      line: startLine,
    });
  });
  return instructions;
}

/** The parser directives at the top (`# syntax=…`), by name. */
export function directives(text) {
  const found = {};
  for (const line of text.split('\n')) {
    const match = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(line);
    if (!match) break;
    found[match[1].toLowerCase()] = match[2];
  }
  return found;
}

/** Stages: `{ name, from, platform, instructions }`, in order; instructions before the first FROM are `preamble`. */
export function stagesOf(instructions) {
  const stages = [];
  const preamble = [];
  for (const item of instructions) {
    if (item.instruction === 'FROM') {
      const words = item.args.split(' ');
      const platform = words.find((word) => word.startsWith('--platform='))?.slice('--platform='.length);
      const rest = words.filter((word) => !word.startsWith('--'));
      const asIndex = rest.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({
        from: rest[0],
        name: asIndex >= 0 ? rest[asIndex + 1] : String(stages.length),
        platform,
        instructions: [],
      });
    } else if (stages.length === 0) preamble.push(item);
    else stages.at(-1).instructions.push(item);
  }
  return { preamble, stages };
}

/** The JSON array of an exec-form instruction (CMD ["node", "."]); undefined for the shell form. */
export function execForm(args) {
  try {
    const value = JSON.parse(args);
    return Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
