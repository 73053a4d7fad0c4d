// A stand-in for the real trainingRun, registered under the same type name: it returns its input,
// so trigger tests check exactly what a schedule started without running a training pipeline.

/** Echoes the request. */
export async function trainingRun(request: unknown): Promise<unknown> {
  return request;
}
