#!/usr/bin/env node
/**
 * The identity keeper `launch` starts detached (src/cli/launch/cell-certificates.ts):
 * `identity-keeper.js <run id> <cache dir> <OUs as JSON> <events since, s> <instances>`. It writes nothing to a terminal.
 */
import { runIdentityKeeper } from "../cli/launch/run-identity-keeper.js";

process.exitCode = await runIdentityKeeper(process.argv.slice(2), process.env);
