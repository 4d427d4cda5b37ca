/** True when the process can serve: the database answers. */
export interface ReadinessProbe {
  check(): Promise<{ readonly ok: boolean; readonly checks: Readonly<Record<string, boolean>> }>;
}
