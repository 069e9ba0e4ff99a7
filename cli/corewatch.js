#!/usr/bin/env node
// The `corewatch` command. Plain JavaScript so it runs without a build: tsx compiles the TypeScript CLI on load.
'use strict';

require('tsx/cjs');
require('./main.ts').runCli();
