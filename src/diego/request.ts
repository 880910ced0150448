/** What restager replays: a task (staging) or a desired LRP (running), plus parse warnings. */
import type { DesiredLrp } from "./desired-lrp.js";
import type { TaskRequest } from "./task-definition.js";
import type { InputIssue } from "../errors.js";

export type DiegoRequest = TaskRequest | DesiredLrp;

export interface ParseResult<T> {
  value: T;
  /** Problems that do not stop a replay (unknown fields, deprecated encodings), with JSON paths. */
  warnings: InputIssue[];
}
