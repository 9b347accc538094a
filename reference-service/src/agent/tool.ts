import type { Database } from '../db/database.ts';

export interface ToolContext {
  userId: string;
  db: Database;
}

export interface Tool<Args extends Record<string, unknown> = Record<string, unknown>, Results extends Record<string, unknown> = Record<string, unknown>> {
  readonly name: string;
  /** The arguments this prompt calls the tool with, or undefined when the prompt does not need it. */
  plan(prompt: string): Args | undefined;
  execute(args: Args, context: ToolContext): Promise<Results>;
  /** The sentence of the final answer that reports this tool's results. */
  describe(args: Args, results: Results): string;
}
