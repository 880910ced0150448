import { UsageError } from "../errors.js";
import type { EnvVar } from "../core/env-var.js";

const validName = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * One `--env` value, as `docker run -e` reads it: `NAME=value` sets the value (which may be
 * empty or hold `=`), a bare `NAME` passes restager's own value and is left out when unset.
 */
export function parseEnvAssignment(
  text: string,
  hostEnv: NodeJS.ProcessEnv,
  where = "--env",
): EnvVar | undefined {
  const equals = text.indexOf("=");
  const name = equals < 0 ? text : text.slice(0, equals);
  if (!validName.test(name)) {
    throw new UsageError(`${where}: '${name}' is not a valid variable name`, {
      hint: "Write NAME=value, or a bare NAME to pass restager's own value",
    });
  }
  if (equals >= 0) return { name, value: text.slice(equals + 1) };
  const value = hostEnv[name];
  return value === undefined ? undefined : { name, value };
}

/**
 * An `--env-file`, in the format of `docker run --env-file`: one assignment a line, `#` starts
 * a comment line, blank lines are skipped, no quotes are removed and nothing is expanded.
 */
export function parseEnvFile(text: string, hostEnv: NodeJS.ProcessEnv, fileName: string): EnvVar[] {
  const env: EnvVar[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.replace(/^\s+/, "");
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const variable = parseEnvAssignment(trimmed, hostEnv, `${fileName}:${i + 1}`);
    if (variable) env.push(variable);
  });
  return env;
}
