import type { OperationRegistry, OperationSource, OperationView } from '../context.ts';

/** Routes Operations calls to the first registered source that knows the operation name. */
export function createOperationRegistry(): OperationRegistry {
  const sources: OperationSource[] = [];
  return {
    register(source: OperationSource): void {
      sources.push(source);
    },
    get(name: string): OperationView | undefined {
      for (const source of sources) {
        const op = source.get(name);
        if (op) return op;
      }
      return undefined;
    },
    cancel(name: string): boolean {
      return sources.some((source) => source.cancel(name));
    },
    list(): string[] {
      return sources.flatMap((source) => source.list());
    },
  };
}
