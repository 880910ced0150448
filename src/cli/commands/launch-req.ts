import type { CommandModule } from "yargs";
import type { Output } from "../output.js";
import { requestCommand } from "./build-req.js";
import { commandSummaries } from "./summaries.js";

/** `launch-req`: prints the latest desired LRP request found in nsync-listener logs. */
export function launchReqCommand(output: Output): CommandModule<object, object> {
  return requestCommand(output, {
    name: "launch-req",
    family: "lrp",
    describe: commandSummaries["launch-req"].describe,
    examples: [
      [
        "$0 launch-req --log nsync_listener.stdout.log > lrp.json",
        "the latest desired LRP, as logged",
      ],
      ["$0 launch-req --app my-app", "the latest LRP of an app (name, app guid or process guid)"],
    ],
  });
}
