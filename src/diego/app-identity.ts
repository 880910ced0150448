import { findActions, type Action } from "./actions.js";
import type { DiegoRequest } from "./request.js";

export interface AppIdentity {
  /** `application_name` from VCAP_APPLICATION; undefined when not recorded. */
  name?: string | undefined;
  /** The app guid: VCAP_APPLICATION `application_id`, else the log guid. */
  guid: string;
}

/** Who a request is for, read from the first run action's VCAP_APPLICATION and the log guid. */
export function appIdentity(request: DiegoRequest): AppIdentity {
  const action: Action = request.kind === "task" ? request.definition.action : request.action;
  const logGuid = request.kind === "task" ? request.definition.logGuid : request.logGuid;
  const vcap = vcapApplication(action);
  const name = stringField(vcap, "application_name") ?? stringField(vcap, "name");
  const guid = stringField(vcap, "application_id") ?? logGuid;
  return { name, guid };
}

function vcapApplication(action: Action): Record<string, unknown> | undefined {
  for (const run of findActions(action, "run")) {
    const variable = run.env.find((env) => env.name === "VCAP_APPLICATION");
    if (!variable) continue;
    try {
      const parsed: unknown = JSON.parse(variable.value);
      if (parsed && typeof parsed === "object") return parsed as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function stringField(object: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}
