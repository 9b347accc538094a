import type { WebSocket } from 'ws';

export interface Connection {
  readonly id: string;
  readonly userId: string;
  readonly socket: WebSocket;
}

/** The open sockets of this instance, by user: fan-out delivers a user's events to each of them. */
export class ConnectionRegistry {
  readonly #byUser = new Map<string, Set<Connection>>();

  add(connection: Connection): void {
    let connections = this.#byUser.get(connection.userId);
    if (!connections) this.#byUser.set(connection.userId, (connections = new Set()));
    connections.add(connection);
  }

  remove(connection: Connection): void {
    const connections = this.#byUser.get(connection.userId);
    connections?.delete(connection);
    if (connections?.size === 0) this.#byUser.delete(connection.userId);
  }

  ofUser(userId: string): Iterable<Connection> {
    return this.#byUser.get(userId) ?? [];
  }

  *all(): Iterable<Connection> {
    for (const connections of this.#byUser.values()) yield* connections;
  }
}
