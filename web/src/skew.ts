// The tab's knowledge of skew, as a tiny external store for useSyncExternalStore. The first skew seen
// sticks: once this tab knows it is out of date, a later matching answer (e.g. from a cache) does not
// take the banner away; only a reload does.

import type { Skew } from './api';

export interface SkewState {
  skew: Skew | null;
  /** The version of the last answer that named one. */
  backendVersion: string | null;
}

export class SkewStore {
  private state: SkewState = { skew: null, backendVersion: null };
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SkewState => this.state;

  readonly reportSkew = (skew: Skew): void => {
    if (this.state.skew === null) {
      this.set({ ...this.state, skew });
    }
  };

  readonly reportBackendVersion = (backendVersion: string): void => {
    if (this.state.backendVersion !== backendVersion) {
      this.set({ ...this.state, backendVersion });
    }
  };

  private set(next: SkewState): void {
    this.state = next;
    this.listeners.forEach((listener) => listener());
  }
}
