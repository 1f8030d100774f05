/**
 * The demo web app (apps/web) in headless Chromium against the real server, which
 * serves the built app at `/`: two people in two browser contexts chat, co-edit a
 * document, assign a ticket, read their inbox, like a post and message each other; a
 * staff account watches the analytics dashboard; and a chat survives a server restart
 * and a network cut with no message lost. Every page is saved as a screenshot under
 * test-artifacts/screenshots/.
 *
 * The build runs first when apps/web/dist is missing or older than its sources; with
 * nothing to build from, the suites are skipped with the reason in their title.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { postgresUrl } from '../support/databases.js';
import { NetworkLink } from './network-link.js';
import {
  api,
  connectionLost,
  connectionState,
  launchChromium,
  messageShown,
  newSession,
  open,
  registerUser,
  screenshot,
  shownMessages,
  signIn,
  startWebServer,
  testId,
  valueIs,
  type DemoUser,
  type Session,
  type WebServer,
} from './support.js';
import { prepareWebBuild } from './web-build.js';

const build = prepareWebBuild();
if (!build.ready) console.warn(`Browser tests skipped: ${build.reason}. Build the app with "npm run build:web".`);
const suite = build.ready ? describe : describe.skip;
const skipped = build.ready ? '' : ` (skipped: ${build.reason})`;

/** Browser scenarios wait on real UI round trips through two browsers and a server on two cores. */
const SCENARIO_TIMEOUT_MS = 60_000;

suite(`demo web app: two users in Chromium${skipped}`, { timeout: SCENARIO_TIMEOUT_MS }, () => {
  let server: WebServer;
  let browser: Browser;
  let alice: DemoUser;
  let bob: DemoUser;
  let a: Session;
  let b: Session;
  let workspaceId: string;
  let channelId: string;

  beforeAll(async () => {
    server = await startWebServer();
    browser = await launchChromium();
    alice = await registerUser(server, 'alice', 'Alice Example');
    bob = await registerUser(server, 'bob', 'Bob Example');
    // The shared space both users work in, made over REST by Alice.
    workspaceId = (await api(server.httpUrl, 'POST', '/api/workspaces', alice.access, { name: 'Acme' })).id;
    await api(server.httpUrl, 'POST', `/api/workspaces/${workspaceId}/members`, alice.access, { user_id: bob.id });
    channelId = (await api(server.httpUrl, 'POST', `/api/workspaces/${workspaceId}/channels`, alice.access, { name: 'general', type: 'public' })).id;
    a = await newSession(browser, alice, server.httpUrl);
    b = await newSession(browser, bob, server.httpUrl);
  }, SCENARIO_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs both users in through the login page', async () => {
    await signIn(a, { screenshotAs: 'login' });
    await signIn(b);
    expect(await a.page.locator(testId('current-user')).getAttribute('data-user-id')).toBe(alice.id);
    expect(await b.page.locator(testId('current-user')).getAttribute('data-user-id')).toBe(bob.id);
  });

  it('chat: B sees A online, sees A typing, then receives A’s message', async () => {
    await Promise.all([open(a.page, 'chat', workspaceId, channelId), open(b.page, 'chat', workspaceId, channelId)]);
    await Promise.all([connectionState(a.page, 'open'), connectionState(b.page, 'open')]);

    // Presence: each sees the other among the workspace's online users.
    await b.page.locator(testId('presence-user', { 'data-user-id': alice.id })).waitFor();
    await a.page.locator(testId('presence-user', { 'data-user-id': bob.id })).waitFor();

    // Typing: keystrokes in A's composer light up B's typing indicator with A's name.
    await a.page.locator(testId('message-input')).pressSequentially('Hello Bob, the deploy is done');
    const typing = b.page.locator(testId('typing-indicator', { 'data-active': 'true' }));
    await typing.waitFor();
    expect(await typing.textContent()).toContain('Alice Example');

    // Sending: Enter sends; B gets the persisted message and the indicator clears.
    await a.page.locator(testId('message-input')).press('Enter');
    await messageShown(b.page, 'Hello Bob, the deploy is done');
    await b.page.locator(testId('typing-indicator', { 'data-active': 'false' })).waitFor();
    await messageShown(a.page, 'Hello Bob, the deploy is done');

    // And back: B answers, A receives it after A's own message.
    await b.page.locator(testId('message-input')).fill('Thanks Alice!');
    await b.page.locator(testId('message-send')).click();
    await messageShown(a.page, 'Thanks Alice!');
    const seenByA = await shownMessages(a.page);
    expect(seenByA.map((message) => message.text)).toEqual(['Hello Bob, the deploy is done', 'Thanks Alice!']);
    expect(seenByA[1]!.seq).toBe(seenByA[0]!.seq + 1);

    // The server stored both, in that order.
    const history = await api(server.httpUrl, 'GET', `/api/channels/${channelId}/messages`, bob.access);
    const stored = history.messages as { content: string }[];
    expect(stored.map((message) => message.content)).toEqual(['Hello Bob, the deploy is done', 'Thanks Alice!']);

    await screenshot(a.page, 'chat-alice');
    await screenshot(b.page, 'chat-bob');
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('documents: what A types appears in B’s editor, and B’s edit reaches A', async () => {
    const documentId = (await api(server.httpUrl, 'POST', `/api/workspaces/${workspaceId}/documents`, alice.access, { title: 'Release notes', content: '' })).id as string;
    await Promise.all([open(a.page, 'documents', workspaceId, documentId), open(b.page, 'documents', workspaceId, documentId)]);
    const editor = testId('document-editor');
    await Promise.all([a.page.locator(editor).waitFor(), b.page.locator(editor).waitFor()]);
    await Promise.all([connectionState(a.page, 'open'), connectionState(b.page, 'open')]);
    // Each sees the other on the document.
    await b.page.locator(testId('document-user', { 'data-user-id': alice.id })).waitFor();
    await a.page.locator(testId('document-user', { 'data-user-id': bob.id })).waitFor();

    await a.page.locator(editor).click();
    await a.page.locator(editor).pressSequentially('Shipped: realtime chat.');
    await valueIs(b.page, editor, 'Shipped: realtime chat.');

    await b.page.locator(editor).focus();
    await b.page.keyboard.press('Control+End');
    await b.page.keyboard.type(' Next: documents.');
    const merged = 'Shipped: realtime chat. Next: documents.';
    await valueIs(a.page, editor, merged);
    await valueIs(b.page, editor, merged);

    // Saved on the server once both sides settle (no "Saving…" left on either page).
    await Promise.all([
      a.page.locator(testId('document-status', { 'data-saving': 'false' })).waitFor(),
      b.page.locator(testId('document-status', { 'data-saving': 'false' })).waitFor(),
    ]);
    const stored = await api(server.httpUrl, 'GET', `/api/documents/${documentId}`, bob.access);
    expect(stored.content).toBe(merged);

    await screenshot(a.page, 'document-alice');
    await screenshot(b.page, 'document-bob');
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('tickets: A assigns a ticket to B on the board; B gets a toast and the bell count goes up', async () => {
    const projectId = (await api(server.httpUrl, 'POST', '/api/projects', alice.access, { name: 'Launch' })).id as string;
    await api(server.httpUrl, 'POST', `/api/projects/${projectId}/members`, alice.access, { user_id: bob.id });
    const ticket = await api(server.httpUrl, 'POST', `/api/projects/${projectId}/tickets`, alice.access, { title: 'Write the changelog', status: 'open' });

    await Promise.all([open(a.page, 'projects', projectId), open(b.page, 'projects', projectId)]);
    const card = testId('ticket-card', { 'data-id': ticket.id });
    await Promise.all([a.page.locator(card).waitFor(), b.page.locator(card).waitFor()]);
    // B's notifications socket is live, so the assignment arrives as a push, not only as a count.
    await b.page.locator(testId('notification-bell', { 'data-connected': 'true' })).waitFor();
    const countBefore = Number(await b.page.locator(testId('notification-count')).getAttribute('data-count'));

    // A picks B in the card's assignee menu (B is a project member, so listed).
    await a.page.locator(`${card} ${testId('ticket-assign')} option[value="${bob.id}"]`).waitFor({ state: 'attached' });
    await a.page.locator(`${card} ${testId('ticket-assign')}`).selectOption(bob.id);

    const toast = b.page.locator(testId('toast', { 'data-kind': 'notification' }));
    await toast.waitFor();
    expect(await toast.textContent()).toContain('Write the changelog');
    await b.page.locator(testId('notification-count', { 'data-count': String(countBefore + 1) })).waitFor({ state: 'attached' });
    // The board updated live on both sides.
    await b.page.locator(testId('ticket-card', { 'data-id': ticket.id, 'data-assignee': bob.id })).waitFor();
    await a.page.locator(testId('ticket-card', { 'data-id': ticket.id, 'data-assignee': bob.id })).waitFor();

    await screenshot(a.page, 'tickets-board');
    await screenshot(b.page, 'tickets-board-toast');
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('notifications inbox: B finds the assignment there and marks it read', async () => {
    await open(b.page, 'notifications');
    const item = b.page.locator(testId('notification-item', { 'data-type': 'ticket_assigned', 'data-read': 'false' }));
    await item.waitFor();
    expect(await item.textContent()).toContain('Write the changelog');
    await screenshot(b.page, 'notifications-inbox');

    await item.locator(testId('notification-mark-read')).click();
    await b.page.locator(testId('notification-item', { 'data-type': 'ticket_assigned', 'data-read': 'true' })).waitFor();
    // The badge is hidden at zero: wait for its count, not its visibility.
    await b.page.locator(testId('notification-count', { 'data-count': '0' })).waitFor({ state: 'attached' });
    const inbox = await api(server.httpUrl, 'GET', '/api/notifications?unread_only=true', bob.access);
    expect(inbox.unread_count).toBe(0);
    expect([...b.errors]).toEqual([]);
  });

  it('blog: both read a post; B’s like shows up in A’s live stats', async () => {
    const post = await api(server.httpUrl, 'POST', '/api/blog/posts', alice.access, {
      title: 'We shipped realtime',
      content: 'Chat, documents and tickets now update live.',
      status: 'published',
    });
    await Promise.all([open(a.page, 'blog', post.id), open(b.page, 'blog', post.id)]);
    await Promise.all([a.page.locator(testId('post-title')).waitFor(), b.page.locator(testId('post-title')).waitFor()]);
    expect(await a.page.locator(testId('post-title')).textContent()).toBe('We shipped realtime');
    await Promise.all([connectionState(a.page, 'open'), connectionState(b.page, 'open')]);

    await b.page.locator(testId('post-like')).click();
    await a.page.locator(testId('stat-likes')).getByText('1 likes').waitFor();
    await screenshot(a.page, 'blog-post');
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('conversations: A’s message reaches B in their job conversation', async () => {
    const conversation = await api(server.httpUrl, 'POST', '/api/chat/conversations', alice.access, {
      client_id: alice.id,
      worker_id: bob.id,
      title: 'Kitchen repaint',
      job_ref: 'JOB-42',
    });
    await Promise.all([open(a.page, 'conversations', conversation.id), open(b.page, 'conversations', conversation.id)]);
    await Promise.all([connectionState(a.page, 'open'), connectionState(b.page, 'open')]);

    await a.page.locator(testId('conversation-input')).fill('Can you start on Monday?');
    await a.page.locator(testId('conversation-send')).click();
    await b.page.locator(testId('conversation-message')).getByText('Can you start on Monday?').waitFor();
    await screenshot(a.page, 'conversations-alice');
    await screenshot(b.page, 'conversations');
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('analytics: a staff account sees the live dashboard; others see "staff only"', async () => {
    const admin = await registerUser(server, 'admin', 'Ada Admin', { staff: true });
    const staff = await newSession(browser, admin, server.httpUrl);
    try {
      await signIn(staff);
      await open(staff.page, 'analytics');
      await staff.page.locator(testId('analytics-page')).waitFor();
      await connectionState(staff.page, 'open');
      // Two updates plotted: the dashboard is live, not a one-off snapshot.
      await staff.page.locator('[data-testid="analytics-chart-connections"]:not([data-points="0"]):not([data-points="1"])').waitFor();
      const connections = await staff.page.locator(testId('analytics-figure', { 'data-name': 'active_connections' })).textContent();
      expect(Number.parseInt(connections ?? '', 10)).toBeGreaterThanOrEqual(1);
      await screenshot(staff.page, 'analytics-dashboard');
      expect(staff.errors).toEqual([]);
    } finally {
      await staff.context.close();
    }
    await open(b.page, 'analytics');
    await b.page.locator(testId('analytics-forbidden')).waitFor();
  });
});

suite(`demo web app: chat across a server restart and a network cut (PostgreSQL)${skipped}`, { timeout: SCENARIO_TIMEOUT_MS }, () => {
  let server: WebServer;
  let browser: Browser;
  /** Bob's only way to the server: cut it to take Bob offline while the server stays up. */
  let bobLink: NetworkLink;
  let alice: DemoUser;
  let bob: DemoUser;
  let a: Session;
  let b: Session;
  let workspaceId: string;
  let channelId: string;

  beforeAll(async () => {
    server = await startWebServer({ databaseUrl: await postgresUrl() });
    browser = await launchChromium();
    bobLink = new NetworkLink(server.port);
    await bobLink.start();
    alice = await registerUser(server, 'alice', 'Alice Example');
    bob = await registerUser(server, 'bob', 'Bob Example');
    workspaceId = (await api(server.httpUrl, 'POST', '/api/workspaces', alice.access, { name: 'Ops' })).id;
    await api(server.httpUrl, 'POST', `/api/workspaces/${workspaceId}/members`, alice.access, { user_id: bob.id });
    channelId = (await api(server.httpUrl, 'POST', `/api/workspaces/${workspaceId}/channels`, alice.access, { name: 'incidents', type: 'public' })).id;
    a = await newSession(browser, alice, server.httpUrl);
    b = await newSession(browser, bob, bobLink.url);
    await Promise.all([signIn(a), signIn(b)]);
    await Promise.all([open(a.page, 'chat', workspaceId, channelId), open(b.page, 'chat', workspaceId, channelId)]);
    await Promise.all([connectionState(a.page, 'open'), connectionState(b.page, 'open')]);
  }, SCENARIO_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await bobLink?.close();
    await server?.stop();
  });

  async function send(session: Session, text: string): Promise<void> {
    await session.page.locator(testId('message-input')).fill(text);
    await session.page.locator(testId('message-input')).press('Enter');
    await messageShown(session.page, text);
  }

  it('after the server restarts on the same port and database, both reconnect and A’s message reaches B', async () => {
    await send(a, 'before the restart');
    await messageShown(b.page, 'before the restart');

    const { port, databaseUrl } = server;
    await server.stop();
    await Promise.all([connectionLost(a.page), connectionLost(b.page)]);
    server = await startWebServer({ port, databaseUrl });

    // The clients come back by themselves (backoff), without a page reload.
    await Promise.all([connectionState(a.page, 'open'), connectionState(b.page, 'open')]);
    await send(a, 'after the restart');
    await messageShown(b.page, 'after the restart');
    await screenshot(b.page, 'chat-after-restart');

    const texts = (await shownMessages(b.page)).map((message) => message.text);
    expect(texts).toEqual(['before the restart', 'after the restart']);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('messages sent while B was cut off (over WebSocket and REST) are backfilled in order when B reconnects', async () => {
    bobLink.cut();
    await connectionLost(b.page);

    await send(a, 'while Bob was away (1, live)');
    for (const [index, content] of ['while Bob was away (2, REST)', 'while Bob was away (3, REST)'].entries()) {
      await api(server.httpUrl, 'POST', `/api/channels/${channelId}/messages`, alice.access, { content, client_id: `backfill-${index}` });
    }
    await messageShown(a.page, 'while Bob was away (3, REST)');

    bobLink.heal();
    await connectionState(b.page, 'open');
    await messageShown(b.page, 'while Bob was away (3, REST)');

    const shown = await shownMessages(b.page);
    expect(shown.map((message) => message.text)).toEqual([
      'before the restart',
      'after the restart',
      'while Bob was away (1, live)',
      'while Bob was away (2, REST)',
      'while Bob was away (3, REST)',
    ]);
    // No gap and no duplicate: seq goes up by one per message.
    expect(shown.map((message) => message.seq)).toEqual(shown.map((_, index) => shown[0]!.seq + index));

    // And B is live again, both ways.
    await send(b, 'back online');
    await messageShown(a.page, 'back online');
    await screenshot(b.page, 'chat-after-backfill');
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});
