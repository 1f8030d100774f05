/**
 * `switchboard seed-demo`: demo users (alice, bob, carol and the staff user admin, all
 * with password `password123`) and data for every feature: a workspace with channels,
 * messages, a document and notifications, then blog posts, a project with tickets, and a
 * conversation. Idempotent: everything is found by a fixed name (messages by their
 * client_id), so a second run adds nothing.
 */
import type { NotificationInput } from '@switchboard/protocol';
import type { Store } from '../../store/store.js';
import { UsernameTakenError, type User } from '../../store/users.js';
import type { Channel, ChannelType } from '../../store/workspaces.js';
import type { LoadedConfig } from '../config.js';
import { withStore } from '../database.js';
import { out } from '../output.js';
import { DEMO_FEATURES, seedFeature, type DemoUsers } from './demo-features.js';

const DEMO_PASSWORD = 'password123';

const DEMO_USERS = [
  { username: 'alice', name: 'Alice Anderson', isStaff: false },
  { username: 'bob', name: 'Bob Baker', isStaff: false },
  { username: 'carol', name: 'Carol Chen', isStaff: false },
  { username: 'admin', name: 'Demo Admin', isStaff: true },
] as const;

type DemoUsername = (typeof DEMO_USERS)[number]['username'];

const WORKSPACE_NAME = 'Demo workspace';

const CHANNELS: ReadonlyArray<{ name: string; type: ChannelType; members?: DemoUsername[] }> = [
  { name: 'general', type: 'public' },
  { name: 'random', type: 'public' },
  { name: 'core-team', type: 'private', members: ['bob'] },
];

const MESSAGES: ReadonlyArray<{ channel: string; from: DemoUsername; content: string }> = [
  { channel: 'general', from: 'alice', content: 'Welcome to the demo workspace!' },
  { channel: 'general', from: 'bob', content: 'Hi everyone 👋' },
  { channel: 'general', from: 'carol', content: 'Open this channel in two browsers and type: typing and presence are live.' },
  { channel: 'general', from: 'alice', content: 'Messages are stored before they are broadcast, so a reconnect catches up.' },
  { channel: 'random', from: 'carol', content: 'Anyone up for lunch?' },
  { channel: 'random', from: 'bob', content: 'Always.' },
  { channel: 'core-team', from: 'alice', content: 'Private channel: only Alice and Bob can read this.' },
  { channel: 'core-team', from: 'bob', content: 'Confirmed, Carol cannot see it.' },
];

const DOCUMENT = {
  title: 'Welcome to Switchboard',
  content:
    '# Welcome to Switchboard\n\nOpen this document in two windows and edit it in both: ' +
    'changes merge live, and concurrent edits never get lost.\n',
};

const NOTIFICATIONS: ReadonlyArray<{ to: DemoUsername; input: NotificationInput }> = [
  ...(['alice', 'bob', 'carol'] as const).map((to) => ({
    to,
    input: { notification_type: 'system', title: 'Welcome to the demo', message: 'Your demo account is ready.', icon: 'info', color: 'blue' },
  })),
  {
    to: 'bob',
    input: {
      notification_type: 'mention',
      title: 'Alice mentioned you',
      message: 'Alice mentioned you in #general',
      icon: 'at',
      color: 'purple',
      data: { channel: 'general' },
    },
  },
];

async function ensureUser(store: Store, spec: (typeof DEMO_USERS)[number]): Promise<User> {
  const label = `user ${spec.username}${spec.isStaff ? ' (staff)' : ''}`;
  const existing = await store.users.findByUsername(spec.username);
  if (existing) {
    const note = existing.isStaff === spec.isStaff ? '' : existing.isStaff ? ' (is staff; left unchanged)' : ' (not staff; left unchanged)';
    out(`${label}: exists${note}`);
    return existing;
  }
  try {
    const user = await store.users.create({ username: spec.username, password: DEMO_PASSWORD, name: spec.name, isStaff: spec.isStaff });
    out(`${label}: created`);
    return user;
  } catch (error) {
    // Created meanwhile by someone else: use theirs.
    const raced = error instanceof UsernameTakenError ? await store.users.findByUsername(spec.username) : undefined;
    if (!raced) throw error;
    out(`${label}: exists`);
    return raced;
  }
}

async function ensureWorkspace(store: Store, owner: User, members: readonly User[]): Promise<string> {
  const found = await store.db
    .selectFrom('workspaces')
    .select('id')
    .where('name', '=', WORKSPACE_NAME)
    .where('created_by', '=', owner.id)
    .orderBy('created_at')
    .executeTakeFirst();
  const id = found?.id ?? (await store.workspaces.create(WORKSPACE_NAME, owner.id)).id;
  for (const member of members) await store.workspaces.addMember(id, member.id);
  out(`workspace "${WORKSPACE_NAME}": ${found ? 'exists' : 'created'}`);
  return id;
}

async function ensureChannel(store: Store, workspaceId: string, spec: (typeof CHANNELS)[number], owner: User, users: Map<string, User>): Promise<Channel> {
  const found = await store.db
    .selectFrom('channels')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', spec.name)
    .orderBy('created_at')
    .executeTakeFirst();
  const channel = found ? await store.workspaces.findChannel(found.id) : await store.workspaces.createChannel(workspaceId, spec.name, spec.type, owner.id);
  for (const member of spec.members ?? []) await store.workspaces.addChannelMember(channel!.id, users.get(member)!.id);
  out(`channel #${spec.name} (${spec.type}): ${found ? 'exists' : 'created'}`);
  return channel!;
}

async function seedMessages(store: Store, channels: Map<string, Channel>, users: Map<string, User>): Promise<void> {
  let created = 0;
  for (const [index, message] of MESSAGES.entries()) {
    const author = users.get(message.from)!;
    // The client_id makes the send idempotent: a second run gets the stored message back.
    const result = await store.messages.send(channels.get(message.channel)!.id, { id: author.id, name: author.name }, {
      content: message.content,
      attachments: [],
      clientId: `demo-${message.channel}-${index + 1}`,
    });
    if (result.created) created++;
  }
  out(`messages: ${created} created, ${MESSAGES.length - created} already present`);
}

async function ensureDocument(store: Store, workspaceId: string, author: User): Promise<void> {
  const found = await store.db
    .selectFrom('documents')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('title', '=', DOCUMENT.title)
    .executeTakeFirst();
  if (!found) await store.documents.create({ workspaceId, title: DOCUMENT.title, content: DOCUMENT.content, userId: author.id });
  out(`document "${DOCUMENT.title}": ${found ? 'exists' : 'created'}`);
}

async function seedNotifications(store: Store, users: Map<string, User>): Promise<void> {
  let created = 0;
  for (const { to, input } of NOTIFICATIONS) {
    const userId = users.get(to)!.id;
    const found = await store.db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', userId)
      .where('notification_type', '=', input.notification_type)
      .where('title', '=', input.title)
      .executeTakeFirst();
    if (found) continue;
    await store.notifications.create(userId, input);
    created++;
  }
  out(`notifications: ${created} created, ${NOTIFICATIONS.length - created} already present`);
}

export async function seedDemo(config: LoadedConfig): Promise<void> {
  await withStore(config, async (store) => {
    const users = new Map<string, User>();
    for (const spec of DEMO_USERS) users.set(spec.username, await ensureUser(store, spec));
    const alice = users.get('alice')!;
    const others = [...users.values()].filter((user) => user !== alice);

    const workspaceId = await ensureWorkspace(store, alice, others);
    const channels = new Map<string, Channel>();
    for (const spec of CHANNELS) channels.set(spec.name, await ensureChannel(store, workspaceId, spec, alice, users));
    await seedMessages(store, channels, users);
    await ensureDocument(store, workspaceId, alice);
    await seedNotifications(store, users);

    const demoUsers: DemoUsers = { alice, bob: users.get('bob')!, carol: users.get('carol')! };
    // One clock for the feature rows, a second apart, so lists sort in a sensible order.
    const base = Date.now();
    const at = (step: number): string => new Date(base + step * 1000).toISOString();
    for (const feature of DEMO_FEATURES) out(await seedFeature(store, feature, demoUsers, at));

    out(`Sign in as alice, bob or carol, or as the staff user admin; password: ${DEMO_PASSWORD}`);
  });
}
