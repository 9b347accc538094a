import { getContainerRuntimeClient } from 'testcontainers';
import { KEPT_CONTAINER_LABEL } from './containers.ts';

/** Removes the containers LOCAL_STACK_REUSE kept (running or not); returns their images. */
export async function removeKeptContainers(): Promise<string[]> {
  const client = await getContainerRuntimeClient();
  const keptContainers = await client.container.dockerode.listContainers({ all: true, filters: { label: [`${KEPT_CONTAINER_LABEL}=true`] } });
  for (const { Id } of keptContainers) {
    const container = client.container.getById(Id);
    // Stopped first: not every engine removes a running container on request.
    await client.container.stop(container, { timeout: 0 }).catch(() => undefined);
    await client.container.remove(container, { removeVolumes: true });
  }
  return keptContainers.map(({ Image, Id }) => `${Image} (${Id.slice(0, 12)})`);
}
