/** `corewatch status PLAN`: asks the plan's workflow what it owes and what it has sent, and prints it as JSON. */
import { loadConfig } from '../platform/env';
import { connectTemporalClient } from '../platform/temporal';
import { planStatusQuery, planWorkflowId } from '../workflows/plan';
import { parseCommandArgs, UsageError, type Command } from './command';

export const status: Command = {
  usage: 'corewatch status PLAN_ID',
  async run(args, io) {
    const [planId, ...rest] = parseCommandArgs(args, {}, { positionals: true }).positionals;
    if (planId === undefined || rest.length > 0) throw new UsageError('expected exactly one plan id');
    const client = await connectTemporalClient(loadConfig());
    try {
      const result = await client.workflow.getHandle(planWorkflowId(planId)).query(planStatusQuery);
      io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    } finally {
      await client.connection.close();
    }
  },
};
