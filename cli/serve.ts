/** `corewatch serve`: the HTTP API with its event relay loop (see api/server.ts), until SIGTERM or Ctrl-C. */
import { runServer } from '../http/server';
import { parseCommandArgs, type Command } from './command';

export const serve: Command = {
  usage: 'corewatch serve',
  async run(args) {
    parseCommandArgs(args, {}); // takes no arguments: refuse any rather than ignore it
    await runServer();
    return 0;
  },
};
