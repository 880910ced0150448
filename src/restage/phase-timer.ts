/** Measures named phases (wall time, ms) and announces each as it starts. */
export class PhaseTimer {
  readonly durations: Record<string, number> = {};

  constructor(private readonly onPhase?: (phase: string) => void) {}

  async time<T>(phase: string, work: () => Promise<T>): Promise<T> {
    this.onPhase?.(phase);
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.durations[phase] = Math.round(performance.now() - started);
    }
  }
}
