import { createHash, timingSafeEqual } from 'node:crypto';
import { type FilterLevel, parseTopicFilter, type TopicFilter } from '@iiot/core';

/** An MQTT permission as `Cybus::Role` / `Cybus::User` write it: read = subscribe, write = publish. */
export interface Permission {
  /** A topic filter; `+` and `#` (named or not) are wildcards. */
  resource: string;
  operation: 'read' | 'write' | 'readWrite';
  /** Only `mqtt` permissions are enforced by the broker. @default 'mqtt' */
  context?: string;
}

/** A broker user with its password and effective permissions (its own plus those of its roles). */
export interface BrokerUser {
  username: string;
  password: string;
  permissions: readonly Permission[];
}

interface CompiledUser {
  digest: Buffer;
  read: TopicFilter[];
  write: TopicFilter[];
}

/** Users of the broker, grouped by the service that declared them, and the checks the broker asks for. */
export interface AccessControl {
  /** Replaces every user the service declared. */
  setServiceUsers(serviceId: string, users: readonly BrokerUser[]): void;
  /** Removes every user the service declared. */
  removeService(serviceId: string): void;
  /** Whether the name and password belong to a known user. */
  authenticate(username: string, password: string): boolean;
  /** Whether the user may publish to this topic. */
  canPublish(username: string, topic: string): boolean;
  /** Whether the user may subscribe with this filter (it must lie entirely inside a readable filter). */
  canSubscribe(username: string, filter: string): boolean;
  /** The usernames of every user, for status output. */
  usernames(): string[];
}

const digestOf = (password: string) => createHash('sha256').update(password).digest();

/** Creates the user table and topic checks the embedded broker enforces. */
export function createAccessControl(): AccessControl {
  const byService = new Map<string, string[]>();
  const users = new Map<string, CompiledUser>();

  return {
    setServiceUsers(serviceId, list) {
      this.removeService(serviceId);
      for (const user of list) {
        const mqtt = user.permissions.filter((p) => (p.context ?? 'mqtt') === 'mqtt');
        users.set(user.username, {
          digest: digestOf(user.password),
          read: mqtt.filter((p) => p.operation !== 'write').map((p) => parseTopicFilter(p.resource)),
          write: mqtt.filter((p) => p.operation !== 'read').map((p) => parseTopicFilter(p.resource)),
        });
      }
      byService.set(
        serviceId,
        list.map((u) => u.username),
      );
    },
    removeService(serviceId) {
      for (const name of byService.get(serviceId) ?? []) users.delete(name);
      byService.delete(serviceId);
    },
    authenticate(username, password) {
      const user = users.get(username);
      return user !== undefined && timingSafeEqual(user.digest, digestOf(password));
    },
    canPublish(username, topic) {
      return users.get(username)?.write.some((f) => f.match(topic) !== undefined) ?? false;
    },
    canSubscribe(username, filter) {
      const wanted = parseTopicFilter(filter).levels;
      return users.get(username)?.read.some((f) => covers(f.levels, wanted)) ?? false;
    },
    usernames: () => [...users.keys()],
  };
}

/** Whether every topic `inner` can match is also matched by `outer`. */
function covers(outer: readonly FilterLevel[], inner: readonly FilterLevel[]): boolean {
  for (let i = 0; i < outer.length; i++) {
    const o = outer[i]!;
    if (o.kind === 'multi') return true;
    const n = inner[i];
    if (n === undefined || n.kind === 'multi') return false;
    if (o.kind === 'literal' && (n.kind !== 'literal' || n.value !== o.value)) return false;
  }
  return inner.length === outer.length;
}
