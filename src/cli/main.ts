import { Command } from 'commander';

/** Builds the `entente` command tree. Each sub-command lives in its own module. */
export function buildProgram(): Command {
  return new Command('entente')
    .description('Entente: coalition cyber-defence node (STIX 2.1 store, TAXII 2.1 server, policy-governed sharing)')
    .version('0.1.0')
    .showHelpAfterError();
}

export async function main(argv: ReadonlyArray<string>): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    return typeof code === 'number' ? code : 1;
  }
}
