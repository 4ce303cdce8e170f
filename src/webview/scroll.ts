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
