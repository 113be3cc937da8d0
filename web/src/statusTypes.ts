// The status API's shapes (GET {base}/apps, /apps/{app}/versions, the SSE stream), as the controller
// serves them. Fields the page does not use are left out; everything optional is treated as such,
// because the page must survive an older or newer controller.

export interface Condition {
  type: string;
  status: string;
  reason?: string | null;
  message?: string | null;
  lastTransitionTime?: string | null;
}

export interface Canary {
  version: string;
  weight: number;
}

export interface AppSummary {
  name: string;
  liveVersion: string | null;
  canary: Canary | null;
  versionCount?: number;
  phaseCounts?: Record<string, number>;
  conditions?: Condition[];
  lastReconcileTime?: string | null;
}

export interface VersionView {
  app: string;
  version: string;
  phase: string;
  live: boolean;
  canaryWeight: number | null;
  revoked: boolean;
  image?: string | null;
  desiredCount: number | null;
  runningCount: number | null;
  createdAt?: string | null;
  readyAt?: string | null;
  supersededAt?: string | null;
  expiresAt?: string | null;
  drainingSince?: string | null;
  expiryReason?: string | null;
  lastReconcileTime?: string | null;
  message?: string | null;
  conditions?: Condition[];
}

export interface StatusEvent {
  time: string;
  app: string;
  version: string | null;
  action: string;
  outcome: string;
  message: string;
}
