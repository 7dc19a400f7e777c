// A minimal typed listener list: `on(listener) -> unsubscribe`, the contract's event shape.
// A throwing listener is reported and never stops the others.

export class Listeners<T> {
  private readonly list = new Set<(value: T) => void>();

  constructor(private readonly onError?: (e: unknown) => void) {}

  on(listener: (value: T) => void): () => void {
    this.list.add(listener);
    return () => {
      this.list.delete(listener);
    };
  }

  emit(value: T): void {
    for (const l of [...this.list]) {
      try {
        l(value);
      } catch (e) {
        this.onError?.(e);
      }
    }
  }

  get size(): number {
    return this.list.size;
  }

  clear(): void {
    this.list.clear();
  }
}
