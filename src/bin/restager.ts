#!/usr/bin/env node
import { run } from "../cli/entry.js";

process.exitCode = await run([...process.argv.slice(2)]);
