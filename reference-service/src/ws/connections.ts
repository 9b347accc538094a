import type { WebSocket } from 'ws';

export interface Connection {
  readonly id: string;
  readonly userId: string;
  readonly socket: WebSocket;
}

/** The open sockets of this instance, by user: fan-out delivers a user's events to each of them. */
export class ConnectionRegistry {
  readonly #byUser = new Map<string, Set<Connection>>();
  #size = 0;

  add(connection: Connection): void {
    let connections = this.#byUser.get(connection.userId);
    if (!connections) this.#byUser.set(connection.userId, (connections = new Set()));
    if (!connections.has(connection)) this.#size++;
    connections.add(connection);
  }

  remove(connection: Connection): void {
    const connections = this.#byUser.get(connection.userId);
    if (connections?.delete(connection)) this.#size--;
    if (connections?.size === 0) this.#byUser.delete(connection.userId);
  }

  /** The open sockets of this instance, of every user. */
  get size(): number {
    return this.#size;
  }

  ofUser(userId: string): Iterable<Connection> {
    return this.#byUser.get(userId) ?? [];
  }

  *all(): Iterable<Connection> {
    for (const connections of this.#byUser.values()) yield* connections;
  }
}
