#!/usr/bin/env node
import { run } from "../cli/entry.js";

process.exitCode = await run(["restage", ...process.argv.slice(2)]);
