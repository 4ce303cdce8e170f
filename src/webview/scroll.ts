/** Within this many pixels of the bottom the log counts as "at the newest" and follows a stream. */
export const stickDistance = 24;

/** Within this many pixels of the top the next page of older turns is fetched. */
const loadOlderDistance = 200;

export function distanceFromBottom(log: HTMLElement): number {
  return Math.max(0, Math.round(log.scrollHeight - log.scrollTop - log.clientHeight));
}

export function scrollToFromBottom(log: HTMLElement, fromBottom: number): void {
  log.scrollTop = Math.max(0, log.scrollHeight - log.clientHeight - fromBottom);
}

export function isNearTop(log: HTMLElement): boolean {
  return log.scrollTop < loadOlderDistance;
}

/**
 * Decides where the log scrolls after each render: restore the saved position once, keep the
 * reading position when older turns go in above, else follow the newest text if already there.
 */
export interface ScrollKeeper {
  /** Call before rendering; pass the result to `afterRender`. */
  beforeRender(): number;
  afterRender(fromBottomBefore: number): void;
  /** The next render jumps to this distance from the bottom (0 = newest), e.g. after sending. */
  jumpTo(fromBottom: number): void;
  /** The next render keeps the distance from the bottom: content was added above. */
  keepPosition(): void;
}

export function createScrollKeeper(log: HTMLElement, restoreFromBottom: number | undefined): ScrollKeeper {
  let jump = restoreFromBottom;
  let keep = false;
  return {
    beforeRender: () => distanceFromBottom(log),
    afterRender(fromBottom) {
      if (jump !== undefined) scrollToFromBottom(log, jump);
      else if (keep) scrollToFromBottom(log, fromBottom);
      else if (fromBottom <= stickDistance) scrollToFromBottom(log, 0);
      jump = undefined;
      keep = false;
    },
    jumpTo: (fromBottom) => (jump = fromBottom),
    keepPosition: () => (keep = true),
  };
}
