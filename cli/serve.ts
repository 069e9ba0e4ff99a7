/** `corewatch serve`: the HTTP API with its event relay loop (see api/server.ts), until SIGTERM or Ctrl-C. */
import { runServer } from '../http/server';
import type { Command } from './command';

export const serve: Command = {
  usage: 'corewatch serve',
  async run() {
    await runServer();
    return 0;
  },
};
