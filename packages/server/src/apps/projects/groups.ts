/**
 * Channel-layer groups and the presence topic of a project (ids are URI-encoded, so
 * a `:` inside one can never forge another project's name).
 */
const part = encodeURIComponent;

/** Every `/ws/projects/{id}/tickets/` connection of the project. */
export const ticketsGroup = (projectId: string): string => `projects:${part(projectId)}:tickets`;

/** Every `/ws/projects/{id}/presence/` connection of the project. */
export const presenceGroup = (projectId: string): string => `projects:${part(projectId)}:presence`;

/** Presence topic: the users with a live presence connection to the project, cluster-wide. */
export const presenceTopic = (projectId: string): string => `projects:${part(projectId)}`;

/** The project id of a presence topic; undefined for any other topic. */
export function projectOfPresenceTopic(topic: string): string | undefined {
  const match = /^projects:([^:]+)$/.exec(topic);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
}
