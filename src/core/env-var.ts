/** One environment variable, as Diego's run actions and Garden's process specs carry it. */
export interface EnvVar {
  name: string;
  value: string;
}
