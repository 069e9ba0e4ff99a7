/** `corewatch worker`: the plan worker process (see worker/main.ts). */
import { runWorker } from '../worker/main';
import type { Command } from './command';

export const worker: Command = {
  usage: 'corewatch worker',
  async run() {
    await runWorker();
    return 0;
  },
};
