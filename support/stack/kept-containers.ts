import { getContainerRuntimeClient } from 'testcontainers';
import { KEPT_CONTAINER_LABEL } from './containers.ts';

/** The containers LOCAL_STACK_REUSE kept, running or not. */
export async function listKeptContainers(): Promise<Array<{ id: string; image: string }>> {
  const client = await getContainerRuntimeClient();
  const kept = await client.container.dockerode.listContainers({ all: true, filters: { label: [`${KEPT_CONTAINER_LABEL}=true`] } });
  return kept.map(({ Id, Image }) => ({ id: Id, image: Image }));
}

/** Removes the containers LOCAL_STACK_REUSE kept; returns what was removed, as "image (short id)". */
export async function removeKeptContainers(): Promise<string[]> {
  const client = await getContainerRuntimeClient();
  const kept = await listKeptContainers();
  for (const { id } of kept) {
    const container = client.container.getById(id);
    // Stopped first: not every engine removes a running container on request.
    await client.container.stop(container, { timeout: 0 }).catch(() => undefined);
    await client.container.remove(container, { removeVolumes: true });
  }
  return kept.map(({ image, id }) => `${image} (${id.slice(0, 12)})`);
}
