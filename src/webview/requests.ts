import type { Reply, ReplyValue, RequestOf, RequestType, WebviewMessage } from '../shared/protocol.ts';

/** Requests to the host, each awaiting its own typed reply. */
export interface Requests {
  /**
   * Posts `request` and resolves with the value of the reply carrying its id, typed by the
   * protocol's `RequestMap`; rejects with the host's words when the reply says it failed.
   */
  send<T extends RequestType>(request: RequestOf<T> & { type: T }): Promise<ReplyValue<T>>;
  /** Settles the request a reply answers; false when no request waits for that id. */
  receive(reply: Reply): boolean;
}

/** The host answers a request of type T only with a `ReplyValue<T>` (its handlers are typed so). */
type Pending = { resolve(value: ReplyValue<RequestType>): void; reject(error: Error): void };

export function createRequests(post: (message: WebviewMessage) => void): Requests {
  const pending = new Map<string, Pending>();
  return {
    send<T extends RequestType>(request: RequestOf<T> & { type: T }): Promise<ReplyValue<T>> {
      return new Promise<ReplyValue<T>>((resolve, reject) => {
        pending.set(request.id, { resolve: resolve as Pending['resolve'], reject });
        post(request);
      });
    },
    receive(reply) {
      const waiting = pending.get(reply.id);
      if (!waiting) return false;
      pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(reply.error));
      return true;
    },
  };
}
