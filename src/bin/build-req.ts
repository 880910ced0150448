#!/usr/bin/env node
import { run } from "../cli/entry.js";

process.exitCode = await run(["build-req", ...process.argv.slice(2)]);
