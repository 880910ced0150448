/**
 * undici's Agent, without the rest of the package. `import "undici"` loads every part undici
 * ships (fetch, WebSocket, caches, cookies, mocks: ~0.15 s of CPU at every start of a command
 * that downloads); restager uses one Agent and its `request`. So the Agent and the request API
 * are loaded from their own files and joined as undici's index joins them (its Dispatcher gets
 * the API's methods). When an undici release moves those files, the whole package loads.
 */
import { createRequire } from "node:module";
import type { Agent } from "undici";

const require = createRequire(import.meta.url);

type AgentClass = typeof Agent;

let loaded: AgentClass | undefined;

export function undiciAgent(): AgentClass {
  loaded ??= agentAlone() ?? (require("undici") as { Agent: AgentClass }).Agent;
  return loaded;
}

function agentAlone(): AgentClass | undefined {
  try {
    const agent = require("undici/lib/dispatcher/agent.js") as AgentClass;
    const dispatcher = require("undici/lib/dispatcher/dispatcher.js") as {
      prototype: Record<string, unknown>;
    };
    const api = require("undici/lib/api/index.js") as Record<string, unknown>;
    if (typeof api.request !== "function") return undefined;
    // What undici's index does at load; the same functions when it was loaded already.
    Object.assign(dispatcher.prototype, api);
    return agent;
  } catch {
    return undefined;
  }
}
