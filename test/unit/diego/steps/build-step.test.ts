import { describe, expect, it } from "vitest";
import { fakeStepWorld } from "../../../kit/fake-ports.js";
import {
  actionKinds,
  type Action,
  type ActionKind,
  type RunAction,
} from "../../../../src/diego/actions.js";
import { buildStep } from "../../../../src/diego/steps/build-step.js";
import { CodependentStep } from "../../../../src/diego/steps/codependent-step.js";
import { DownloadStep } from "../../../../src/diego/steps/download-step.js";
import { EmitProgressStep } from "../../../../src/diego/steps/emit-progress-step.js";
import { ParallelStep } from "../../../../src/diego/steps/parallel-step.js";
import { RunStep } from "../../../../src/diego/steps/run-step.js";
import { SerialStep } from "../../../../src/diego/steps/serial-step.js";
import { TimeoutStep } from "../../../../src/diego/steps/timeout-step.js";
import { TryStep } from "../../../../src/diego/steps/try-step.js";
import { UploadStep } from "../../../../src/diego/steps/upload-step.js";

function run(path: string, logSource?: string): RunAction {
  return {
    kind: "run",
    path,
    args: [],
    env: [],
    resourceLimits: {},
    user: "vcap",
    suppressLogOutput: false,
    ...(logSource === undefined ? {} : { logSource }),
  };
}

const leaf = run("/bin/true");
const examples: Record<ActionKind, Action> = {
  download: {
    kind: "download",
    artifact: "",
    from: "http://x/a.tgz",
    to: ".",
    cacheKey: "",
    user: "vcap",
  },
  upload: { kind: "upload", artifact: "", from: "/tmp/droplet", to: "http://x/up", user: "vcap" },
  run: leaf,
  emit_progress: {
    kind: "emit_progress",
    action: leaf,
    startMessage: "",
    successMessage: "",
    failureMessagePrefix: "",
  },
  timeout: { kind: "timeout", action: leaf, timeoutMs: 1000 },
  try: { kind: "try", action: leaf },
  serial: { kind: "serial", actions: [leaf] },
  parallel: { kind: "parallel", actions: [leaf] },
  codependent: { kind: "codependent", actions: [leaf] },
};
const expectedClass = {
  download: DownloadStep,
  upload: UploadStep,
  run: RunStep,
  emit_progress: EmitProgressStep,
  timeout: TimeoutStep,
  try: TryStep,
  serial: SerialStep,
  parallel: ParallelStep,
  codependent: CodependentStep,
} as const;

describe("buildStep", () => {
  it("build-step covers all 9 action kinds", () => {
    expect(actionKinds).toHaveLength(9);
    const { ctx } = fakeStepWorld();
    for (const kind of actionKinds) {
      expect(buildStep(examples[kind], ctx), kind).toBeInstanceOf(expectedClass[kind]);
    }
  });

  it("logSource tags an action's lines and its children's; serial ignores its own", async () => {
    const world = fakeStepWorld();
    const say = (text: string, status = 0) =>
      world.container.onExec(`/bin/${text}`, ({ io }) => {
        io.stdout(Buffer.from(`${text}\n`));
        return status;
      });
    say("cell");
    say("stg");
    say("inherit");
    say("app", 1);
    const tree: Action = {
      kind: "serial",
      actions: [
        run("/bin/cell"),
        {
          kind: "try",
          logSource: "STG",
          action: {
            kind: "parallel",
            actions: [
              {
                kind: "serial",
                logSource: "IGNORED",
                actions: [
                  run("/bin/stg"),
                  { kind: "try", logSource: "", action: run("/bin/inherit") },
                  { kind: "try", action: run("/bin/app", "APP/PROC/WEB") },
                ],
              },
            ],
          },
        },
      ],
    };
    await buildStep(tree, { ...world.ctx, taskLog: world.log.withSource("CELL") }).run(
      new AbortController().signal,
    );
    expect(world.log.transcript()).toEqual([
      "[CELL] OUT cell",
      "[CELL] OUT Exit status 0",
      "[STG] OUT stg",
      "[STG] OUT Exit status 0",
      "[STG] OUT inherit",
      "[STG] OUT Exit status 0",
      "[APP/PROC/WEB] OUT app",
      "[APP/PROC/WEB] OUT Exit status 1",
    ]);
    expect(world.debug).toContainEqual({
      event: "try-step-failed",
      data: { error: "APP/PROC/WEB: Exited with status 1" },
    });
  });

  it("emit_progress tags its messages with its source and its child with the parent's", async () => {
    const world = fakeStepWorld();
    world.container.onExec("/bin/child", ({ io }) => {
      io.stdout(Buffer.from("child\n"));
      return 0;
    });
    const tree: Action = {
      kind: "emit_progress",
      logSource: "PROGRESS",
      startMessage: "starting",
      successMessage: "done",
      failureMessagePrefix: "",
      action: run("/bin/child"),
    };
    await buildStep(tree, { ...world.ctx, taskLog: world.log.withSource("PARENT") }).run(
      new AbortController().signal,
    );
    expect(world.log.transcript()).toEqual([
      "[PROGRESS] OUT starting",
      "[PARENT] OUT child",
      "[PARENT] OUT Exit status 0",
      "[PROGRESS] OUT done",
    ]);
  });
});
