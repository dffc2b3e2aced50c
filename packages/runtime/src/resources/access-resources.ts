import type { BrokerUser, Permission } from '../broker/access-control.js';
import { readRef } from '../_internal/references.js';
import type { ResourceModel } from './types.js';

const DEFAULT_ROLE = 'defaultRole';

/**
 * The broker users a service declares: its own user (username = service id) with read and write on its MQTT
 * root plus the permissions of a role named `defaultRole`, and one user per `Cybus::User` (username = the
 * resource id) with its own permissions and those of its roles.
 */
export function serviceUsers(
  serviceId: string,
  mqttRoot: string,
  ownPassword: string,
  resources: readonly ResourceModel[],
): BrokerUser[] {
  const roles = new Map<string, Permission[]>();
  for (const r of resources) {
    if (r.type === 'Cybus::Role') roles.set(r.id, permissionsOf(r.properties));
  }
  const own: BrokerUser = {
    username: serviceId,
    password: ownPassword,
    permissions: [{ resource: `${mqttRoot}/#`, operation: 'readWrite' }, ...(roles.get(DEFAULT_ROLE) ?? [])],
  };
  const users = [own];
  for (const r of resources) {
    // A user without a password could never log in; leaving it out keeps an empty password from matching.
    if (r.type !== 'Cybus::User' || !r.properties.password) continue;
    const roleIds = Array.isArray(r.properties.roles) ? r.properties.roles : [];
    const inherited = roleIds.flatMap((ref) => roles.get(readRef(ref)?.resourceId ?? String(ref)) ?? []);
    users.push({
      username: typeof r.properties.username === 'string' ? r.properties.username : r.id,
      password: String(r.properties.password ?? ''),
      permissions: [...permissionsOf(r.properties), ...inherited],
    });
  }
  return users;
}

function permissionsOf(properties: Record<string, unknown>): Permission[] {
  const list = Array.isArray(properties.permissions) ? properties.permissions : [];
  return list.filter((p): p is Permission => typeof p === 'object' && p !== null && 'resource' in p);
}
