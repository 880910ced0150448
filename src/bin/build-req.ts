#!/usr/bin/env node
import { runRequestBin } from "../cli/request-bin.js";

process.exitCode = await runRequestBin(["build-req", ...process.argv.slice(2)]);
