#!/usr/bin/env node
import { runRequestBin } from "../cli/request-bin.js";

process.exitCode = await runRequestBin(["launch-req", ...process.argv.slice(2)]);
