/** `corewatch worker`: the plan worker process (see worker/main.ts). */
import { runWorker } from '../worker/main';
import { parseCommandArgs, type Command } from './command';

export const worker: Command = {
  usage: 'corewatch worker',
  async run(args) {
    parseCommandArgs(args, {}); // takes no arguments: refuse any rather than ignore it
    await runWorker();
    return 0;
  },
};
