#!/usr/bin/env node
import { main } from "../cli/main.js";

process.exitCode = await main(["build-req", ...process.argv.slice(2)]);
