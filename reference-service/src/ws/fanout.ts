import { WebSocket } from 'ws';
import type { Faults } from '../faults.ts';
import type { RedisClients } from '../redis.ts';
import type { ConnectionRegistry } from './connections.ts';

const CHANNEL = 'chat:events';

/** Sends a frame, already encoded for this deployment, to every socket of the user on any instance. */
export type Publish = (userId: string, encodedFrame: string) => Promise<void>;

/**
 * Every run's frames go through one Redis channel, so any instance delivers them to the user's sockets it
 * holds: several instances behave as one. A message is `<user id>\n<frame JSON>`, so the frame is
 * encoded once, by the instance that ran the agent, and relayed without parsing.
 */
export async function startFanout(redis: RedisClients, registry: ConnectionRegistry, faults: Faults): Promise<Publish> {
  const leakToEveryone = faults.has('cross_user_fanout');
  await redis.subscriber.subscribe(CHANNEL);
  redis.subscriber.on('message', (channel: string, message: string) => {
    if (channel !== CHANNEL) return;
    const separator = message.indexOf('\n');
    const userId = message.slice(0, separator);
    const frame = message.slice(separator + 1);
    for (const connection of leakToEveryone ? registry.all() : registry.ofUser(userId)) {
      if (connection.socket.readyState === WebSocket.OPEN) connection.socket.send(frame);
    }
  });
  return async (userId, encodedFrame) => {
    await redis.commands.publish(CHANNEL, `${userId}\n${encodedFrame}`);
  };
}
