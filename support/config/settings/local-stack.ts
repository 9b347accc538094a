import { z } from 'zod';
import { commaList, setting } from './schemas.ts';

/** The containers and the bundled service of a local run. */
export const LOCAL_STACK_SETTINGS = {
  POSTGRES_IMAGE: setting({ at: 'postgresImage', schema: z.string().default('postgres:16-alpine') }),
  REDIS_IMAGE: setting({ at: 'redisImage', schema: z.string().default('redis:7-alpine') }),
  LOCAL_STACK_REUSE: setting({
    at: 'localStackReuse',
    schema: z
      .enum(['true', 'false'], 'must be true or false')
      .default('false')
      .transform((reuse) => reuse === 'true'),
    fix: 'set LOCAL_STACK_REUSE=true to keep the local containers between runs (npm run stack:down removes them), or unset it',
  }),
  LOCAL_SERVICE_FAULTS: setting({
    at: 'localServiceFaults',
    schema: commaList(/^\s*[a-z_0-9]+(:[^,]+)?(\s*,\s*[a-z_0-9]+(:[^,]+)?)*\s*$/, 'must be a comma list of fault switches, name or name:parameter').default([]),
    fix: "set LOCAL_SERVICE_FAULTS to fault switches of the bundled service, e.g. drop_event:tool_completed, or unset it (see the README's fault table)",
  }),
};
