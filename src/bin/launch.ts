#!/usr/bin/env node
import { run } from "../cli/entry.js";

process.exitCode = await run(["launch", ...process.argv.slice(2)]);
