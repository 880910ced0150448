import type { CommandModule } from "yargs";
import type { Output } from "../output.js";
import { explainCommand } from "./explain.js";
import { restageCommand } from "./restage.js";
import { imageCommand } from "./image.js";
import { buildReqCommand } from "./build-req.js";
import { launchReqCommand } from "./launch-req.js";
import { launchCommand } from "./launch.js";
import { psCommand } from "./ps.js";
import { stopCommand } from "./stop.js";

/** The command table. Each entry is a yargs CommandModule built with the shared Output. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function commands(output: Output): CommandModule<any, any>[] {
  return [
    buildReqCommand(output),
    launchReqCommand(output),
    explainCommand(output),
    restageCommand(output),
    imageCommand(output),
    launchCommand(output),
    psCommand(output),
    stopCommand(output),
  ];
}
