import type { TaskRequest } from "../../diego/task-definition.js";
import { resolveStackImage } from "../../restage/stack-image.js";

export interface RestageTargetOptions {
  request: TaskRequest;
  /** `--memory`: the staging container's limit in MB, instead of the task's memory_mb. */
  memoryMb?: number | undefined;
  /** `--stack NAME=IMAGE` mappings (stack-image.ts). */
  stacks: ReadonlyMap<string, string>;
}

/** The request as it will run (memory limit applied) and the stack image it runs in. */
export function restageTarget(options: RestageTargetOptions): {
  request: TaskRequest;
  stackImage: string;
} {
  let request = options.request;
  if (options.memoryMb !== undefined) {
    request = { ...request, definition: { ...request.definition, memoryMb: options.memoryMb } };
  }
  return { request, stackImage: resolveStackImage(request.definition.rootfs, options.stacks) };
}
