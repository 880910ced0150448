import type { Argv, CommandModule } from "yargs";
import type { Output } from "../output.js";
import {
  imagePublishing,
  readPasswordFromStdin,
  withImageFlags,
  type ImageFlags,
} from "../image-flags.js";
import { imageOnDocker } from "../wiring/image.js";
import { commandSummaries } from "./summaries.js";

export interface ImageArgs extends ImageFlags {
  droplet: string;
  lifecycle: string;
  stack: string;
  stackName?: string | undefined;
  result?: string | undefined;
  appName?: string | undefined;
  appGuid?: string | undefined;
  taskGuid?: string | undefined;
  source?: string | undefined;
  revision?: string | undefined;
  json?: boolean | undefined;
}

/** `restager image`: a launcher image from a droplet, a lifecycle tarball and a stack image. */
export function imageCommand(output: Output): CommandModule<object, ImageArgs> {
  return {
    ...commandSummaries.image,
    builder: (yargs) => imageOptions(yargs),
    handler: async (args) => {
      const password = args.registryPasswordStdin
        ? await readPasswordFromStdin(output.stdin)
        : undefined;
      await imageOnDocker(output, {
        dropletPath: args.droplet,
        lifecyclePath: args.lifecycle,
        stackImage: args.stack,
        stack: args.stackName,
        resultPath: args.result,
        appName: args.appName,
        appGuid: args.appGuid,
        taskGuid: args.taskGuid,
        source: args.source,
        revision: args.revision,
        publishing: { ...imagePublishing(args), password },
      });
    },
  };
}

function imageOptions(yargs: Argv): Argv<ImageArgs> {
  const required = (describe: string) =>
    ({ type: "string", demandOption: true, requiresArg: true, describe }) as const;
  const optional = (describe: string) => ({ type: "string", requiresArg: true, describe }) as const;
  const base = yargs
    .option("droplet", required("Droplet .tgz (as staging uploads it)"))
    .option("lifecycle", required("buildpack_app_lifecycle.tgz (launcher, healthcheck)"))
    .option("stack", required("Stack image, e.g. restager/cflinuxfs4:latest"))
    .option("stack-name", optional("Stack name for the label (default: from the stack image)"))
    .option("result", optional("The staging result.json (default: the droplet's staging_info.yml)"))
    .option("app-name", optional("App name (default tag restager/<app-name>:...)"))
    .option("app-guid", optional("App guid, for the io.restager.app-guid label"))
    .option("task-guid", optional("Staging task guid, for the io.restager.task-guid label"))
    .option("source", optional("org.opencontainers.image.source (e.g. the repository URL)"))
    .option("revision", optional("org.opencontainers.image.revision (e.g. a commit)"));
  return withImageFlags(base)
    .example(
      "$0 image --droplet out/droplet.tgz --lifecycle lifecycle.tgz --stack restager/cflinuxfs4:latest --app-name my-app",
      "Build restager/my-app:<md5> and :latest",
    )
    .example(
      "docker run -p 8080:8080 restager/my-app",
      "Run it: the launcher starts process_types.web on $PORT (8080)",
    )
    .example(
      "docker run restager/my-app 'bash run-worker.sh' ''",
      "Run another command (the trailing '' is the launcher's metadata argument)",
    )
    .example("$0 image ... --push --registry 127.0.0.1:5000", "Also push it to a local registry");
}
