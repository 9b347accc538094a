// npm run stack:down
// Removes the Postgres and Redis containers that runs with LOCAL_STACK_REUSE=true kept for the next run.
import { loadEnvFiles } from '../support/config/env-files.ts';
import { removeKeptContainers } from '../support/stack/kept-containers.ts';
import { exitWithProblems, parseOptions } from './shared/options.ts';

const USAGE = 'usage: npm run stack:down   (no options)';
const { problems } = parseOptions(USAGE, {});
if (problems.length > 0) exitWithProblems('stack:down', USAGE, problems, 'nothing was removed');

loadEnvFiles();
try {
  const removed = await removeKeptContainers();
  console.log(removed.length === 0 ? 'stack:down: no kept container' : removed.map((container) => `stack:down: removed ${container}`).join('\n'));
} catch (error) {
  console.error(`stack:down: ${(error as Error).message.split('\n')[0]}: is the container engine running? (npm run setup, or start Docker)`);
  process.exit(2);
}
