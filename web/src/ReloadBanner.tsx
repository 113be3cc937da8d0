import type { Skew } from './api';

export interface ReloadBannerProps {
  skew: Skew;
  buildId: string;
  onReload: () => void;
}

/** Tells the user this tab is out of date, without taking the page away from them. */
export function ReloadBanner({ skew, buildId, onReload }: ReloadBannerProps) {
  const detail = skew.kind === 'expired'
    ? `Version ${buildId} of this page has been retired${skew.live ? `; ${skew.live} is live now` : ''}.`
    : `This tab runs version ${buildId}, but version ${skew.backendVersion} answered.`;
  return (
    <div className="reload-banner" role="alert" data-testid="reload-banner" data-skew={skew.kind}>
      <div>
        <strong>A new version is available — reload</strong>
        <span className="reload-detail">{detail}</span>
      </div>
      <button type="button" data-testid="reload-button" onClick={onReload}>
        Reload
      </button>
    </div>
  );
}
